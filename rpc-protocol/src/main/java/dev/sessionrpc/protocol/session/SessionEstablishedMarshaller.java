package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.sessionrpc.protocol.JsonFields;
import dev.sessionrpc.protocol.JsonMarshaller;
import java.io.IOException;

/** {@code session.create}'s result, {@code {"id", "challenge"}}, written and read member by member. */
final class SessionEstablishedMarshaller implements JsonMarshaller<SessionEstablished> {

    @Override
    public SessionEstablished read(JsonParser p) throws IOException {
        String[] fields = new String[2];
        boolean present = JsonFields.read(p, (name, value) -> {
            switch (name) {
                case "id" -> fields[0] = JsonFields.text(value);
                case "challenge" -> fields[1] = JsonFields.text(value);
                default -> { }
            }
        });
        return present ? new SessionEstablished(fields[0], fields[1]) : null;
    }

    @Override
    public void write(SessionEstablished value, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", value.id());
        g.writeStringField("challenge", value.challenge());
        g.writeEndObject();
    }
}
