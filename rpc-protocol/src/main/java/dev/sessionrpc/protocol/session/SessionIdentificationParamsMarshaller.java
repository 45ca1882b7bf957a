package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonFields;
import dev.sessionrpc.protocol.JsonMarshaller;
import dev.sessionrpc.protocol.ParamsReader;
import dev.sessionrpc.protocol.RpcException;
import java.io.IOException;
import java.util.List;

/**
 * Reads the {@code session_identification} param of {@code session.get} (named or first by
 * position) and judges it in PROTOCOL.md's order: missing, not an object or a member that is
 * not a string, then the public hash's format, then the answer's. Whether the session exists is
 * the service's question, not the reader's. Writes it named.
 */
final class SessionIdentificationParamsMarshaller implements JsonMarshaller<SessionIdentification> {

    static final String PARAM = "session_identification";
    static final List<String> ORDER = List.of(PARAM);
    private static final List<String> MEMBERS = List.of("session_id", "client_public_hash", "challenge_answer");

    @Override
    public SessionIdentification read(JsonParser p) throws IOException {
        String[] members = new String[MEMBERS.size()];
        int[] shape = {0}; // 0 absent or null, 1 not an object, 2 an object
        ParamsReader.read(p, ORDER, (index, value) -> {
            if (ParamsReader.isNull(value)) {
                return;
            }
            if (value.currentToken() != JsonToken.START_OBJECT) {
                shape[0] = 1;
                return;
            }
            shape[0] = 2;
            for (String name = value.nextFieldName(); name != null; name = value.nextFieldName()) {
                value.nextToken();
                int member = MEMBERS.indexOf(name);
                if (member >= 0) {
                    members[member] = JsonFields.text(value);
                }
                value.skipChildren();
            }
        });
        if (shape[0] == 0) {
            throw new RpcException(ErrorCode.MISSING_PARAMETER, "Missing parameter: " + PARAM, PARAM);
        }
        if (shape[0] == 1) {
            throw new RpcException(ErrorCode.INVALID_SESSION_IDENTIFICATION,
                    "session_identification must be an object with session_id, client_public_hash and challenge_answer",
                    PARAM);
        }
        for (int i = 0; i < members.length; i++) {
            if (members[i] == null) {
                String member = PARAM + "." + MEMBERS.get(i);
                throw new RpcException(ErrorCode.INVALID_SESSION_IDENTIFICATION, member + " must be a string", member);
            }
        }
        SessionIdentification identification = new SessionIdentification(members[0], members[1], members[2]);
        if (!SessionRules.isHex(identification.clientPublicHash(), 64)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PUBLIC_HASH,
                    "client_public_hash must be 64 hexadecimal characters", PARAM + ".client_public_hash");
        }
        if (!SessionRules.isHex(identification.challengeAnswer(), Challenge.ANSWER_LENGTH)) {
            throw new RpcException(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER,
                    "challenge_answer must be 40 hexadecimal characters (a SHA-1 in hex)", PARAM + ".challenge_answer");
        }
        return identification;
    }

    @Override
    public void write(SessionIdentification value, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart(PARAM);
        g.writeStringField("session_id", value.sessionId());
        g.writeStringField("client_public_hash", value.clientPublicHash());
        g.writeStringField("challenge_answer", value.challengeAnswer());
        g.writeEndObject();
        g.writeEndObject();
    }
}
