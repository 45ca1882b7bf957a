package dev.sessionrpc.client;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.ErrorSet;
import dev.sessionrpc.protocol.JsonRpcError;
import java.util.Map;
import java.util.Optional;

/**
 * The server answered a call with an error object. Carries the catalogue entry the error names
 * ({@code data.name}, falling back to the code), so that callers can switch on
 * {@link #errorCode()} or test a whole family with {@link #inSet(ErrorSet)}, and the parameter
 * at fault. One class for the whole catalogue: a new server error needs no new client class.
 */
public final class RpcErrorException extends RpcClientException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final transient JsonRpcError error;
    private final ErrorCode errorCode;

    public RpcErrorException(String method, JsonRpcError error) {
        super(describe(method, error));
        this.method = method;
        this.error = error;
        this.errorCode = catalogueEntry(error);
    }

    private static String describe(String method, JsonRpcError error) {
        StringBuilder sb = new StringBuilder(method).append(" failed: ").append(error.code());
        if (error.name() != null) {
            sb.append(' ').append(error.name());
        }
        if (error.parameter() != null) {
            sb.append(" (parameter ").append(error.parameter()).append(')');
        }
        return sb.append(": ").append(error.message()).toString();
    }

    private static ErrorCode catalogueEntry(JsonRpcError error) {
        if (error.name() != null) {
            Optional<ErrorCode> byName = ErrorCode.byName(error.name());
            if (byName.isPresent() && byName.get().code() == error.code()) {
                return byName.get();
            }
        }
        return ErrorCode.byCode(error.code()).orElse(null);
    }

    /** The method that failed. */
    public String method() {
        return method;
    }

    /** The error object as it came. */
    public JsonRpcError error() {
        return error;
    }

    /** The catalogue entry, or null when the server sent a code this catalogue does not know. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** Whether the error is this catalogue entry. */
    public boolean is(ErrorCode code) {
        return errorCode == code;
    }

    /** Whether the error belongs to a family (for example every authentication error). */
    public boolean inSet(ErrorSet set) {
        return errorCode != null && errorCode.set() == set;
    }

    public int code() {
        return error.code();
    }

    /** {@code data.name}, or the catalogue's name when the server sent none, or null. */
    public String name() {
        if (error.name() != null) {
            return error.name();
        }
        return errorCode == null ? null : errorCode.wireName();
    }

    /** {@code data.parameter}: the parameter at fault, or null. */
    public String parameter() {
        return error.parameter();
    }

    /** {@code data}, with any further members such as {@code retry_after}. */
    public Map<String, Object> data() {
        return error.data();
    }
}
