package dev.sessionrpc.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.Params;
import dev.sessionrpc.protocol.RpcException;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.protocol.session.SessionIdentification;
import dev.sessionrpc.server.dispatch.RequestContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * The wire side of {@code session.create} and {@code session.get}: reads params by name or
 * position, checks each in the documented order and reports the first failure with its own
 * error and parameter name, then hands typed values to the {@link SessionService}. A param of the
 * wrong JSON type gets the param's own error, never an internal one.
 */
public final class SessionMethods {

    static final List<String> CREATE_PARAMS = List.of("public_hash", "private_hash", "platform", "name", "version");
    static final List<String> GET_PARAMS = List.of("session_identification");
    private static final String IDENTIFICATION = "session_identification";

    private final SessionService service;

    public SessionMethods(SessionService service) {
        this.service = service;
    }

    /** {@code session.create(public_hash, private_hash, platform, name, version)}. */
    public CompletionStage<SessionEstablished> create(JsonNode rawParams, RequestContext context) {
        Params params = Params.of(rawParams, CREATE_PARAMS);
        String publicHash = text(params, "public_hash");
        if (!SessionValidation.isHex(publicHash, 64)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PUBLIC_HASH,
                    "public_hash must be 64 hexadecimal characters (a SHA-256 in hex)", "public_hash");
        }
        String privateHash = text(params, "private_hash");
        if (!SessionValidation.isHex(privateHash, 64)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PRIVATE_HASH,
                    "private_hash must be 64 hexadecimal characters (a SHA-256 in hex)", "private_hash");
        }
        if (privateHash.equalsIgnoreCase(publicHash)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PRIVATE_HASH,
                    "private_hash must differ from public_hash", "private_hash");
        }
        String platform = text(params, "platform");
        if (!SessionValidation.isLabel(platform)) {
            throw new RpcException(ErrorCode.INVALID_PLATFORM, labelRule("platform"), "platform");
        }
        String name = text(params, "name");
        if (!SessionValidation.isLabel(name)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_NAME, labelRule("name"), "name");
        }
        String version = text(params, "version");
        if (!SessionValidation.isVersion(version)) {
            throw new RpcException(ErrorCode.INVALID_VERSION,
                    "version must be 1 to 32 characters of a SemVer 2.0.0 or PEP 440 version, such as 1.0.0", "version");
        }
        NewSession request = new NewSession(publicHash.toLowerCase(Locale.ROOT), privateHash,
                new ClientInfo(platform, name, version));
        return service.create(request, context.clientAddress());
    }

    /** {@code session.get(session_identification)}. */
    public CompletionStage<Session> get(JsonNode rawParams, RequestContext context) {
        JsonNode node = Params.of(rawParams, GET_PARAMS).require(IDENTIFICATION);
        if (!node.isObject()) {
            throw new RpcException(ErrorCode.INVALID_SESSION_IDENTIFICATION,
                    "session_identification must be an object with session_id, client_public_hash and challenge_answer",
                    IDENTIFICATION);
        }
        String sessionId = member(node, "session_id");
        String publicHash = member(node, "client_public_hash");
        String answer = member(node, "challenge_answer");
        if (!SessionValidation.isHex(publicHash, 64)) {
            throw new RpcException(ErrorCode.INVALID_CLIENT_PUBLIC_HASH,
                    "client_public_hash must be 64 hexadecimal characters", IDENTIFICATION + ".client_public_hash");
        }
        if (!SessionValidation.isHex(answer, Challenge.ANSWER_LENGTH)) {
            throw new RpcException(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER,
                    "challenge_answer must be 40 hexadecimal characters (a SHA-1 in hex)", IDENTIFICATION + ".challenge_answer");
        }
        return service.get(new SessionIdentification(sessionId, publicHash, answer));
    }

    /** A required param as text; a non-string value yields null, which fails the param's own check. */
    private static String text(Params params, String name) {
        JsonNode value = params.require(name);
        return value.isTextual() ? value.textValue() : null;
    }

    private static String member(JsonNode identification, String member) {
        JsonNode value = identification.get(member);
        if (value == null || !value.isTextual()) {
            throw new RpcException(ErrorCode.INVALID_SESSION_IDENTIFICATION,
                    "session_identification." + member + " must be a string",
                    IDENTIFICATION + "." + member);
        }
        return value.textValue();
    }

    private static String labelRule(String param) {
        return param + " must be 1 to 32 characters, not blank, without control characters or any of '^£$%&*()}{@#~?><>,|=_+¬-";
    }
}
