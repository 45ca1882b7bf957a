package dev.sessionrpc.protocol;

import java.util.Objects;

/**
 * A response: exactly one of {@code result} and {@code error} is set. {@code result} is any
 * value Jackson can write (records, trees, strings).
 */
public record JsonRpcResponse(RequestId id, Object result, JsonRpcError error) {

    public JsonRpcResponse {
        Objects.requireNonNull(id, "id");
        if (error != null && result != null) {
            throw new IllegalArgumentException("a response has a result or an error, not both");
        }
    }

    public static JsonRpcResponse success(RequestId id, Object result) {
        return new JsonRpcResponse(id, result, null);
    }

    public static JsonRpcResponse failure(RequestId id, JsonRpcError error) {
        return new JsonRpcResponse(id, null, Objects.requireNonNull(error, "error"));
    }

    public boolean isError() {
        return error != null;
    }
}
