package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sessionrpc.protocol.JsonFields;
import dev.sessionrpc.protocol.JsonMarshaller;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code session.get}'s result, the standard's {@code Session} with {@code last_active} and
 * {@code client}, written member by member in the documented order and read back the same way.
 */
final class SessionMarshaller implements JsonMarshaller<Session> {

    @Override
    public Session read(JsonParser p) throws IOException {
        String[] id = new String[1];
        List<String> flags = new ArrayList<>();
        boolean[] authenticated = new boolean[1];
        long[] times = new long[3];
        ClientInfo[] client = new ClientInfo[1];
        boolean present = JsonFields.read(p, (name, value) -> {
            switch (name) {
                case "id" -> id[0] = JsonFields.text(value);
                case "flags" -> readFlags(value, flags);
                case "authenticated" -> authenticated[0] = value.currentToken() == JsonToken.VALUE_TRUE;
                case "created" -> times[0] = value.getValueAsLong();
                case "expires" -> times[1] = value.getValueAsLong();
                case "last_active" -> times[2] = value.getValueAsLong();
                case "client" -> client[0] = readClient(value);
                default -> { }
            }
        });
        return present ? new Session(id[0], flags, authenticated[0], times[0], times[1], times[2], client[0]) : null;
    }

    private static void readFlags(JsonParser p, List<String> flags) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                flags.add(p.getText());
            }
            p.skipChildren();
        }
    }

    private static ClientInfo readClient(JsonParser p) throws IOException {
        String[] fields = new String[3];
        boolean present = JsonFields.read(p, (name, value) -> {
            switch (name) {
                case "platform" -> fields[0] = JsonFields.text(value);
                case "name" -> fields[1] = JsonFields.text(value);
                case "version" -> fields[2] = JsonFields.text(value);
                default -> { }
            }
        });
        return present ? new ClientInfo(fields[0], fields[1], fields[2]) : null;
    }

    @Override
    public void write(Session value, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", value.id());
        g.writeArrayFieldStart("flags");
        for (String flag : value.flags()) {
            g.writeString(flag);
        }
        g.writeEndArray();
        g.writeBooleanField("authenticated", value.authenticated());
        g.writeNumberField("created", value.created());
        g.writeNumberField("expires", value.expires());
        g.writeNumberField("last_active", value.lastActive());
        ClientInfo client = value.client();
        if (client == null) {
            g.writeNullField("client");
        } else {
            g.writeObjectFieldStart("client");
            g.writeStringField("platform", client.platform());
            g.writeStringField("name", client.name());
            g.writeStringField("version", client.version());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
