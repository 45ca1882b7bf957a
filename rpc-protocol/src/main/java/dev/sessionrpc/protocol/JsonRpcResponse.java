package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Objects;

/**
 * A response: exactly one of {@code result} and {@code error} is set. A result carries the
 * marshaller that writes it (its method's); a result without one is any value Jackson can write
 * (records, trees, strings) and is written by reflection.
 */
public record JsonRpcResponse(RequestId id, Object result, JsonMarshaller<Object> writer, JsonRpcError error) {

    public JsonRpcResponse {
        Objects.requireNonNull(id, "id");
        if (error != null && (result != null || writer != null)) {
            throw new IllegalArgumentException("a response has a result or an error, not both");
        }
    }

    public static JsonRpcResponse success(RequestId id, Object result) {
        return new JsonRpcResponse(id, result, null, null);
    }

    /** A result written by its method's marshaller. */
    @SuppressWarnings("unchecked")
    public static <R> JsonRpcResponse success(RequestId id, R result, JsonMarshaller<? super R> writer) {
        return new JsonRpcResponse(id, result, (JsonMarshaller<Object>) Objects.requireNonNull(writer, "writer"), null);
    }

    public static JsonRpcResponse failure(RequestId id, JsonRpcError error) {
        return new JsonRpcResponse(id, null, null, Objects.requireNonNull(error, "error"));
    }

    public boolean isError() {
        return error != null;
    }

    /** Writes the result with its marshaller, or by reflection when it has none. */
    void writeResult(JsonGenerator g) throws IOException {
        (writer != null ? writer : JsonMarshallers.ANY_RESULT).write(result, g);
    }
}
