package dev.sessionrpc.server.dispatch;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.ErrorMapper;
import dev.sessionrpc.protocol.JsonMarshaller;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.JsonRpcError;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.MethodDescriptor;
import dev.sessionrpc.protocol.RequestId;
import dev.sessionrpc.server.metrics.MethodTimers;
import dev.sessionrpc.server.metrics.ServerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Routes a request to its method, reads its params with the method's descriptor, and turns the
 * outcome into a response whose result the descriptor writes. Notifications are executed and
 * answered with nothing (a completed stage holding null). Names beginning with {@code rpc.} are
 * reserved and never reach a method.
 */
public final class Dispatcher {

    private final Map<String, Route<?, ?>> routes;
    private final MethodTimers unknown;

    private Dispatcher(Map<String, Route<?, ?>> routes, ServerMetrics metrics) {
        this.routes = Map.copyOf(routes);
        this.unknown = metrics.unknownMethod();
    }

    public static Builder builder(ServerMetrics metrics) {
        return new Builder(metrics);
    }

    public Set<String> methodNames() {
        return routes.keySet();
    }

    /**
     * The params marshaller of a method, for a codec that reads params as it decodes a request
     * ({@code new JsonRpcCodec(limits, dispatcher::paramsReader)}); null for a name no method has.
     */
    public JsonMarshaller<?> paramsReader(String method) {
        Route<?, ?> route = routes.get(method);
        return route == null ? null : route.descriptor().params();
    }

    /** A descriptor with the handler that serves it and the timers its requests are counted in. */
    private record Route<P, R>(MethodDescriptor<P, R> descriptor, TypedMethodHandler<P, R> handler, MethodTimers timers) {

        /** Reads the params and runs the handler; whatever fails on the way is the stage's failure. */
        CompletionStage<? extends R> run(JsonRpcRequest request, RequestContext context) {
            try {
                P params = request.read() != null && request.read().reader() == descriptor.params()
                        ? request.read().valueFor(descriptor.params())
                        : JsonMarshallers.readParams(request.params(), descriptor.params());
                CompletionStage<? extends R> stage = handler.handle(params, context);
                return stage != null ? stage : CompletableFuture.failedFuture(
                        new IllegalStateException("method " + descriptor.name() + " returned no CompletionStage"));
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
        }
    }

    /** Runs one request; the stage holds the response, or null for a notification. Never fails. */
    public CompletionStage<JsonRpcResponse> dispatch(JsonRpcRequest request, RequestContext context) {
        long start = System.nanoTime();
        Route<?, ?> route = request.method().startsWith("rpc.") ? null : routes.get(request.method());
        if (route == null) {
            JsonRpcError error = JsonRpcError.of(ErrorCode.METHOD_NOT_FOUND,
                    request.method().startsWith("rpc.")
                            ? "Method not found: names beginning with rpc. are reserved"
                            : "Method not found: " + truncate(request.method()));
            unknown.record(error.name(), System.nanoTime() - start);
            return CompletableFuture.completedFuture(request.isNotification()
                    ? null
                    : JsonRpcResponse.failure(request.id(), error));
        }
        return respond(route, request, context, start);
    }

    private <P, R> CompletionStage<JsonRpcResponse> respond(Route<P, R> route, JsonRpcRequest request,
                                                            RequestContext context, long start) {
        String method = request.method();
        RequestId replyId = request.isNotification() ? RequestId.NULL : request.id();
        return route.run(request, context).handle((result, failure) -> {
            JsonRpcResponse response = failure == null
                    ? JsonRpcResponse.success(replyId, result, route.descriptor().result())
                    : JsonRpcResponse.failure(replyId, toError(failure, method));
            route.timers().record(response.isError() ? response.error().name() : null, System.nanoTime() - start);
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
        unknown.record(error.name(), 0);
    }

    private static String truncate(String method) {
        return method.length() <= 64 ? method : method.substring(0, 64) + "...";
    }

    /** Collects methods by name. */
    public static final class Builder {
        private final Map<String, Route<?, ?>> routes = new LinkedHashMap<>();
        private final ServerMetrics metrics;

        private Builder(ServerMetrics metrics) {
            this.metrics = metrics;
        }

        /** A method that reads its params and writes its result with its descriptor's marshallers. */
        public <P, R> Builder method(MethodDescriptor<P, R> descriptor, TypedMethodHandler<P, R> handler) {
            String name = descriptor.name();
            if (name.startsWith("rpc.")) {
                throw new IllegalArgumentException("method names beginning with rpc. are reserved: " + name);
            }
            if (routes.containsKey(name)) {
                throw new IllegalArgumentException("method registered twice: " + name);
            }
            routes.put(name, new Route<>(descriptor, handler, metrics.method(name)));
            return this;
        }

        /** A method that takes its params as a JSON tree and returns any value Jackson can write. */
        public Builder method(String name, MethodHandler handler) {
            return method(MethodDescriptor.tree(name), handler::handle);
        }

        public Dispatcher build() {
            return new Dispatcher(routes, metrics);
        }
    }
}
