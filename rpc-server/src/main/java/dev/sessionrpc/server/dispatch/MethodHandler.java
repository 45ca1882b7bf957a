package dev.sessionrpc.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/**
 * One JSON-RPC method that takes its params as a JSON tree and returns any value Jackson can
 * write, for applications that embed the server and want no marshallers of their own; it runs
 * as a {@link TypedMethodHandler} of {@link dev.sessionrpc.protocol.MethodDescriptor#tree}. It
 * must not block: cheap work completes the stage on the spot, store calls complete it later on
 * their own threads. Errors are thrown (or completed exceptionally) as
 * {@link dev.sessionrpc.protocol.RpcException}; anything else becomes InternalServerError.
 */
@FunctionalInterface
public interface MethodHandler {

    /**
     * @param params the request's params: an object, an array, or null when absent
     * @return the result, any value Jackson can write
     */
    CompletionStage<?> handle(JsonNode params, RequestContext context);
}
