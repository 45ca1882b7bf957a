package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonFields;
import dev.sessionrpc.protocol.JsonMarshaller;
import dev.sessionrpc.protocol.ParamsReader;
import dev.sessionrpc.protocol.RpcException;
import java.io.IOException;
import java.util.List;

/**
 * Reads {@code session.create}'s params by name or position and judges them in PROTOCOL.md's
 * order, the first failure reported with its own error and parameter: a missing or null param is
 * MissingParameter, a present one of the wrong JSON type fails its own check. Writes them named.
 */
final class CreateSessionParamsMarshaller implements JsonMarshaller<CreateSessionParams> {

    static final List<String> ORDER = List.of("public_hash", "private_hash", "platform", "name", "version");
    private static final int PUBLIC_HASH = 0;
    private static final int PRIVATE_HASH = 1;
    private static final int PLATFORM = 2;
    private static final int NAME = 3;
    private static final int VERSION = 4;

    @Override
    public CreateSessionParams read(JsonParser p) throws IOException {
        String[] values = new String[ORDER.size()];
        boolean[] given = new boolean[ORDER.size()];
        ParamsReader.read(p, ORDER, (index, value) -> {
            if (!ParamsReader.isNull(value)) {
                given[index] = true;
                values[index] = JsonFields.text(value);
            }
        });
        String publicHash = required(values, given, PUBLIC_HASH);
        if (!SessionRules.isHex(publicHash, 64)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PUBLIC_HASH,
                    "public_hash must be 64 hexadecimal characters (a SHA-256 in hex)", "public_hash");
        }
        String privateHash = required(values, given, PRIVATE_HASH);
        if (!SessionRules.isHex(privateHash, 64)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PRIVATE_HASH,
                    "private_hash must be 64 hexadecimal characters (a SHA-256 in hex)", "private_hash");
        }
        if (privateHash.equalsIgnoreCase(publicHash)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PRIVATE_HASH,
                    "private_hash must differ from public_hash", "private_hash");
        }
        String platform = required(values, given, PLATFORM);
        if (!SessionRules.isLabel(platform)) {
            throw new RpcException(ErrorCode.INVALID_PLATFORM, labelRule("platform"), "platform");
        }
        String name = required(values, given, NAME);
        if (!SessionRules.isLabel(name)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_NAME, labelRule("name"), "name");
        }
        String version = required(values, given, VERSION);
        if (!SessionRules.isVersion(version)) {
            throw new RpcException(ErrorCode.INVALID_VERSION,
                    "version must be 1 to 32 characters of a SemVer 2.0.0 or PEP 440 version, such as 1.0.0", "version");
        }
        return new CreateSessionParams(publicHash, privateHash, new ClientInfo(platform, name, version));
    }

    /** The param's text (null for a value of another type), or MissingParameter naming it. */
    private static String required(String[] values, boolean[] given, int index) {
        if (!given[index]) {
            String name = ORDER.get(index);
            throw new RpcException(ErrorCode.MISSING_PARAMETER, "Missing parameter: " + name, name);
        }
        return values[index];
    }

    private static String labelRule(String param) {
        return param + " must be 1 to 32 characters, not blank, without control characters or any of '^£$%&*()}{@#~?><>,|=_+¬-";
    }

    @Override
    public void write(CreateSessionParams value, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("public_hash", value.publicHash());
        g.writeStringField("private_hash", value.privateHash());
        g.writeStringField("platform", value.client().platform());
        g.writeStringField("name", value.client().name());
        g.writeStringField("version", value.client().version());
        g.writeEndObject();
    }
}
