package dev.sessionrpc.protocol;

import java.util.Objects;

/**
 * A well-formed JSON-RPC 2.0 request. {@code id} is null for a notification (no {@code id}
 * member), and {@link RequestId#NULL} for a request whose id was JSON null, which is answered.
 * {@code params} are the bytes of an object or an array, or null when absent; the method's
 * marshaller reads them. {@code read} holds them as that marshaller read them in the codec's
 * pass, when the codec knew the method by then (see {@link JsonRpcCodec}); otherwise null.
 */
public record JsonRpcRequest(RequestId id, String method, ParamsBytes params, ReadParams read) {

    public JsonRpcRequest {
        Objects.requireNonNull(method, "method");
        if (read != null && params == null) {
            throw new IllegalArgumentException("params read in the codec's pass keep their bytes too");
        }
    }

    /** A request whose params, if any, are read from their bytes. */
    public JsonRpcRequest(RequestId id, String method, ParamsBytes params) {
        this(id, method, params, null);
    }

    public boolean isNotification() {
        return id == null;
    }
}
