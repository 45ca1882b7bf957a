package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.sessionrpc.protocol.JsonFields;
import dev.sessionrpc.protocol.JsonMarshaller;
import java.io.IOException;

/**
 * {@code help.get_server_information}'s result, every member of the standard's
 * {@code ServerInformation} written in the documented order, and read back by name.
 */
final class ServerInformationMarshaller implements JsonMarshaller<ServerInformation> {

    @Override
    public ServerInformation read(JsonParser p) throws IOException {
        String[] text = new String[3];
        long[] n = new long[10];
        boolean present = JsonFields.read(p, (name, value) -> {
            switch (name) {
                case "network_name" -> text[0] = JsonFields.text(value);
                case "protocol_version" -> text[1] = JsonFields.text(value);
                case "cdn_server" -> text[2] = JsonFields.text(value);
                case "upload_max_file_size" -> n[0] = value.getValueAsLong();
                case "unauthorized_session_ttl" -> n[1] = value.getValueAsLong();
                case "authorized_session_ttl" -> n[2] = value.getValueAsLong();
                case "retrieve_likes_max_limit" -> n[3] = value.getValueAsInt();
                case "retrieve_reposts_max_limit" -> n[4] = value.getValueAsInt();
                case "retrieve_replies_max_limit" -> n[5] = value.getValueAsInt();
                case "retrieve_quotes_max_limit" -> n[6] = value.getValueAsInt();
                case "retrieve_feed_max_limit" -> n[7] = value.getValueAsInt();
                case "retrieve_followers_max_limit" -> n[8] = value.getValueAsInt();
                case "retrieve_following_max_limit" -> n[9] = value.getValueAsInt();
                default -> { }
            }
        });
        return present ? new ServerInformation(text[0], text[1], text[2], n[0], n[1], n[2],
                (int) n[3], (int) n[4], (int) n[5], (int) n[6], (int) n[7], (int) n[8], (int) n[9]) : null;
    }

    @Override
    public void write(ServerInformation v, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("network_name", v.networkName());
        g.writeStringField("protocol_version", v.protocolVersion());
        g.writeStringField("cdn_server", v.cdnServer());
        g.writeNumberField("upload_max_file_size", v.uploadMaxFileSize());
        g.writeNumberField("unauthorized_session_ttl", v.unauthorizedSessionTtl());
        g.writeNumberField("authorized_session_ttl", v.authorizedSessionTtl());
        g.writeNumberField("retrieve_likes_max_limit", v.retrieveLikesMaxLimit());
        g.writeNumberField("retrieve_reposts_max_limit", v.retrieveRepostsMaxLimit());
        g.writeNumberField("retrieve_replies_max_limit", v.retrieveRepliesMaxLimit());
        g.writeNumberField("retrieve_quotes_max_limit", v.retrieveQuotesMaxLimit());
        g.writeNumberField("retrieve_feed_max_limit", v.retrieveFeedMaxLimit());
        g.writeNumberField("retrieve_followers_max_limit", v.retrieveFollowersMaxLimit());
        g.writeNumberField("retrieve_following_max_limit", v.retrieveFollowingMaxLimit());
        g.writeEndObject();
    }
}
