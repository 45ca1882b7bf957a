package dev.sessionrpc.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A method as both ends know it: its name, how its params are read and written, and how its
 * result is. The server pairs a descriptor with a handler; the client calls through the same
 * descriptor and gets the result typed, so the two sides cannot disagree on the shapes.
 */
public record MethodDescriptor<P, R>(String name, JsonMarshaller<P> params, JsonMarshaller<R> result) {

    public MethodDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(result, "result");
    }

    /** A method that takes its params as a JSON tree (null when absent) and returns any value Jackson can write. */
    public static MethodDescriptor<JsonNode, Object> tree(String name) {
        return new MethodDescriptor<>(name, JsonMarshallers.TREE_PARAMS, JsonMarshallers.ANY_RESULT);
    }
}
