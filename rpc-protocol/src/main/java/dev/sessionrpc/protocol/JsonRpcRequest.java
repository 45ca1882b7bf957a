package dev.sessionrpc.protocol;

import java.util.Objects;

/**
 * A well-formed JSON-RPC 2.0 request. {@code id} is null for a notification (no {@code id}
 * member), and {@link RequestId#NULL} for a request whose id was JSON null, which is answered.
 * {@code params} are the bytes of an object or an array, or null when absent; the method's
 * marshaller reads them.
 */
public record JsonRpcRequest(RequestId id, String method, ParamsBytes params) {

    public JsonRpcRequest {
        Objects.requireNonNull(method, "method");
    }

    public boolean isNotification() {
        return id == null;
    }
}
