package dev.sessionrpc.server.dispatch;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.ErrorMapper;
import dev.sessionrpc.protocol.JsonRpcError;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import dev.sessionrpc.server.metrics.ServerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Routes a request to its method and turns the outcome into a response. Notifications are
 * executed and answered with nothing (a completed stage holding null). Names beginning with
 * {@code rpc.} are reserved and never reach a method.
 */
public final class Dispatcher {

    private final Map<String, MethodHandler> methods;
    private final ServerMetrics metrics;

    private Dispatcher(Map<String, MethodHandler> methods, ServerMetrics metrics) {
        this.methods = Map.copyOf(methods);
        this.metrics = metrics;
    }

    public static Builder builder(ServerMetrics metrics) {
        return new Builder(metrics);
    }

    public Set<String> methodNames() {
        return methods.keySet();
    }

    /** Runs one request; the stage holds the response, or null for a notification. Never fails. */
    public CompletionStage<JsonRpcResponse> dispatch(JsonRpcRequest request, RequestContext context) {
        long start = System.nanoTime();
        MethodHandler handler = request.method().startsWith("rpc.") ? null : methods.get(request.method());
        if (handler == null) {
            JsonRpcError error = JsonRpcError.of(ErrorCode.METHOD_NOT_FOUND,
                    request.method().startsWith("rpc.")
                            ? "Method not found: names beginning with rpc. are reserved"
                            : "Method not found: " + truncate(request.method()));
            metrics.requestCompleted(null, error.name(), System.nanoTime() - start);
            return CompletableFuture.completedFuture(request.isNotification()
                    ? null
                    : JsonRpcResponse.failure(request.id(), error));
        }
        CompletionStage<Object> stage;
        try {
            stage = handler.handle(request.params(), context);
            if (stage == null) {
                stage = CompletableFuture.failedFuture(
                        new IllegalStateException("method " + request.method() + " returned no CompletionStage"));
            }
        } catch (Throwable t) {
            stage = CompletableFuture.failedFuture(t);
        }
        String method = request.method();
        RequestId replyId = request.isNotification() ? RequestId.NULL : request.id();
        return stage.handle((result, failure) -> {
            JsonRpcResponse response = failure == null
                    ? JsonRpcResponse.success(replyId, result)
                    : JsonRpcResponse.failure(replyId, toError(failure, method));
            metrics.requestCompleted(method, response.isError() ? response.error().name() : null, System.nanoTime() - start);
            return request.isNotification() ? null : response;
        });
    }

    /** Maps a failure; should the mapping itself fail (a broken RpcException), maps that instead. */
    private static JsonRpcError toError(Throwable failure, String method) {
        try {
            return ErrorMapper.toError(failure, method);
        } catch (RuntimeException e) {
            e.addSuppressed(failure);
            return ErrorMapper.toError(e, method);
        }
    }

    /**
     * Counts a message or element that never became a request (parse error, invalid request),
     * so that operators see malformed traffic beside the requests.
     */
    public void rejected(JsonRpcError error) {
        metrics.requestCompleted(null, error.name(), 0);
    }

    private static String truncate(String method) {
        return method.length() <= 64 ? method : method.substring(0, 64) + "...";
    }

    /** Collects methods by name. */
    public static final class Builder {
        private final Map<String, MethodHandler> methods = new LinkedHashMap<>();
        private final ServerMetrics metrics;

        private Builder(ServerMetrics metrics) {
            this.metrics = metrics;
        }

        public Builder method(String name, MethodHandler handler) {
            if (name.startsWith("rpc.")) {
                throw new IllegalArgumentException("method names beginning with rpc. are reserved: " + name);
            }
            if (methods.putIfAbsent(name, handler) != null) {
                throw new IllegalArgumentException("method registered twice: " + name);
            }
            return this;
        }

        public Dispatcher build() {
            metrics.knownMethods(methods.keySet());
            return new Dispatcher(methods, metrics);
        }
    }
}
