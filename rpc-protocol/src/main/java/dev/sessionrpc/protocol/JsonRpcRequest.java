package dev.sessionrpc.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A well-formed JSON-RPC 2.0 request. {@code id} is null for a notification (no {@code id}
 * member), and {@link RequestId#NULL} for a request whose id was JSON null, which is answered.
 * {@code params} is an object, an array, or null when absent.
 */
public record JsonRpcRequest(RequestId id, String method, JsonNode params) {

    public JsonRpcRequest {
        Objects.requireNonNull(method, "method");
        if (params != null && !params.isObject() && !params.isArray()) {
            throw new IllegalArgumentException("params must be an object or an array");
        }
    }

    public boolean isNotification() {
        return id == null;
    }
}
