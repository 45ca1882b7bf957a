package dev.sessionrpc.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * The one exception a method throws to answer with a catalogued error. Its message goes on the
 * wire as it is, so it must say what was wrong without echoing secrets.
 */
public final class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String parameter;
    private final transient Map<String, Object> extraData;

    public RpcException(ErrorCode code, String message) {
        this(code, message, null, Map.of());
    }

    public RpcException(ErrorCode code, String message, String parameter) {
        this(code, message, parameter, Map.of());
    }

    public RpcException(ErrorCode code, String message, String parameter, Map<String, Object> extraData) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.parameter = parameter;
        this.extraData = Map.copyOf(extraData);
    }

    public ErrorCode code() {
        return code;
    }

    /** The parameter at fault, in dotted form ({@code session_identification.challenge_answer}), or null. */
    public String parameter() {
        return parameter;
    }

    /** Further members of {@code error.data}, such as {@code retry_after}. */
    public Map<String, Object> extraData() {
        return extraData;
    }

    public JsonRpcError toError() {
        return JsonRpcError.of(code, getMessage(), parameter, extraData);
    }
}
