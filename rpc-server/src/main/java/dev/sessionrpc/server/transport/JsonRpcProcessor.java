package dev.sessionrpc.server.transport;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonRpcError;
import dev.sessionrpc.protocol.ErrorMapper;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.RequestId;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.dispatch.RequestContext;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transport-neutral middle of every exchange: bytes to decoded message, message to
 * responses (in request order, notifications left out), responses to one encoded reply. Both
 * the WebSocket and the HTTP handler go through here, so they answer alike. Every request is
 * answered by its deadline, whatever its method does: a method that fails in any way gets a
 * JSON-RPC error, and one that has not finished when its time is up gets InternalServerError
 * with a correlation id, so that no request holds its place in flight for ever.
 */
public final class JsonRpcProcessor {

    private final JsonRpcCodec codec;
    private final Dispatcher dispatcher;
    private final long timeoutNanos;
    private final Counter timedOut;
    private final AccessLog accessLog;

    public JsonRpcProcessor(JsonRpcCodec codec, Dispatcher dispatcher, Duration requestTimeout, ServerMetrics metrics,
                            AccessLog accessLog) {
        this.codec = codec;
        this.dispatcher = dispatcher;
        this.accessLog = accessLog;
        this.timeoutNanos = requestTimeout.toNanos();
        this.timedOut = metrics.counter("rpc_requests_timed_out",
                "Requests answered InternalServerError because they were not done by --request-timeout");
    }

    /** The context of a message arriving now: its deadline is one request timeout away. */
    public RequestContext context(InetAddress client, RequestContext.Transport transport, EventExecutor eventLoop) {
        return new RequestContext(client, transport, eventLoop, eventLoop.ticker().nanoTime() + timeoutNanos);
    }

    /**
     * Decodes a message with at most one copy of its bytes: a heap buffer is parsed where it
     * lies (params copy out only their own bytes, as the buffer is released after this call); a
     * direct one is copied once into an array that the message's params then keep.
     */
    public DecodedMessage decode(ByteBuf content) {
        int length = content.readableBytes();
        if (content.hasArray()) {
            return codec.decode(content.array(), content.arrayOffset() + content.readerIndex(), length);
        }
        byte[] bytes = new byte[length];
        content.getBytes(content.readerIndex(), bytes);
        return codec.decodeInPlace(bytes, 0, length);
    }

    /** The access log the transports write each answered message to. */
    AccessLog accessLog() {
        return accessLog;
    }

    /** How many requests a message carries, the unit of the in-flight limit (at least one). */
    public static int weight(DecodedMessage message) {
        return Math.max(1, message.entries().size());
    }

    /**
     * Executes a message. The stage holds the reply to send: null when nothing is owed (only
     * notifications), one response for a single request, or the batch's responses. It never
     * fails, and it is done by the context's deadline.
     */
    public CompletionStage<Reply> execute(DecodedMessage message, RequestContext context, RequestRateLimiter limiter) {
        try {
            return executeMessage(message, context, limiter).exceptionally(failure -> internalErrors(message, failure));
        } catch (Throwable t) {
            return CompletableFuture.completedFuture(internalErrors(message, t));
        }
    }

    /** InternalServerError for every request of a message whose execution broke down as a whole. */
    private static Reply internalErrors(DecodedMessage message, Throwable failure) {
        JsonRpcError error = ErrorMapper.toError(failure, "(executing a message)");
        List<JsonRpcResponse> responses = new ArrayList<>();
        for (DecodedMessage.Entry entry : message.entries()) {
            if (entry.invalid() != null) {
                responses.add(entry.invalid());
            } else if (!entry.request().isNotification()) {
                responses.add(JsonRpcResponse.failure(entry.request().id(), error));
            }
        }
        return responses.isEmpty() ? null : new Reply(message.batch(), responses);
    }

    private CompletionStage<Reply> executeMessage(DecodedMessage message, RequestContext context, RequestRateLimiter limiter) {
        if (message.isFailure()) {
            dispatcher.rejected(message.failure().error());
            return CompletableFuture.completedFuture(new Reply(false, List.of(message.failure())));
        }
        List<DecodedMessage.Entry> entries = message.entries();
        if (!message.batch()) {
            return executeEntry(entries.get(0), context, limiter)
                    .thenApply(r -> r == null ? null : new Reply(false, List.of(r)));
        }
        List<CompletableFuture<JsonRpcResponse>> stages = new ArrayList<>(entries.size());
        for (DecodedMessage.Entry entry : entries) {
            stages.add(executeEntry(entry, context, limiter).toCompletableFuture());
        }
        return CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            List<JsonRpcResponse> answered = new ArrayList<>(stages.size());
            for (CompletableFuture<JsonRpcResponse> s : stages) {
                JsonRpcResponse r = s.join();
                if (r != null) {
                    answered.add(r);
                }
            }
            return answered.isEmpty() ? null : new Reply(true, answered);
        });
    }

    private CompletionStage<JsonRpcResponse> executeEntry(DecodedMessage.Entry entry, RequestContext context,
                                                          RequestRateLimiter limiter) {
        if (entry.invalid() != null) {
            dispatcher.rejected(entry.invalid().error());
            return CompletableFuture.completedFuture(entry.invalid());
        }
        long retryAfter = limiter.tryAcquire();
        if (retryAfter > 0) {
            // answered, never dropped; a notification past the limit is not run, as nothing can tell its sender
            JsonRpcError error = JsonRpcError.of(ErrorCode.TOO_MANY_REQUESTS,
                    "Too many requests on this connection; retry after " + retryAfter + " s", null,
                    Map.of("retry_after", retryAfter));
            dispatcher.rejected(error);
            return CompletableFuture.completedFuture(
                    entry.request().isNotification() ? null : JsonRpcResponse.failure(entry.request().id(), error));
        }
        return answeredByDeadline(entry.request(), dispatchSafely(entry.request(), context), context);
    }

    /** The dispatcher's stage, with any way it could fail (even a broken stage) turned into an error reply. */
    private CompletionStage<JsonRpcResponse> dispatchSafely(JsonRpcRequest request, RequestContext context) {
        try {
            return dispatcher.dispatch(request, context).exceptionally(failure -> internalError(request, failure));
        } catch (Throwable t) {
            return CompletableFuture.completedFuture(internalError(request, t));
        }
    }

    private static JsonRpcResponse internalError(JsonRpcRequest request, Throwable failure) {
        JsonRpcError error = ErrorMapper.toError(failure, request.method());
        return request.isNotification() ? null : JsonRpcResponse.failure(request.id(), error);
    }

    /**
     * The stage as it is when it is done already (the common case, at no cost); otherwise a stage
     * that holds its response or, should the deadline come first, InternalServerError. A response
     * that comes after that is dropped, so each request is answered once.
     */
    private CompletionStage<JsonRpcResponse> answeredByDeadline(JsonRpcRequest request,
                                                                CompletionStage<JsonRpcResponse> stage,
                                                                RequestContext context) {
        CompletableFuture<JsonRpcResponse> result = stage.toCompletableFuture();
        if (result.isDone()) {
            return result;
        }
        CompletableFuture<JsonRpcResponse> answer = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        try {
            timer = context.eventLoop().schedule(() -> {
                if (answer.isDone()) {
                    return;
                }
                JsonRpcError error = ErrorMapper.timedOut(request.method(), Duration.ofNanos(timeoutNanos));
                if (answer.complete(request.isNotification() ? null : JsonRpcResponse.failure(request.id(), error))) {
                    timedOut.increment();
                }
            }, Math.max(0, context.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return result; // the loop is shutting down; the shutdown timeout bounds the wait instead
        }
        result.whenComplete((response, failure) -> {
            timer.cancel(false);
            answer.complete(response);
        });
        return answer;
    }

    /**
     * Encodes a reply into a new buffer that the caller owns. A result that cannot be written
     * (a getter that throws, a cycle) is answered with InternalServerError in its place, so that
     * the request is still answered exactly once and nothing internal leaks.
     */
    public ByteBuf encode(Reply reply, ByteBufAllocator alloc) {
        try {
            return encodeAll(reply, alloc);
        } catch (RuntimeException e) {
            List<JsonRpcResponse> safe = new ArrayList<>(reply.responses().size());
            for (JsonRpcResponse r : reply.responses()) {
                safe.add(writable(r) ? r : JsonRpcResponse.failure(r.id(), ErrorMapper.toError(e, "(writing a result)")));
            }
            return encodeAll(new Reply(reply.batch(), safe), alloc);
        }
    }

    private boolean writable(JsonRpcResponse response) {
        try {
            codec.encodeToBytes(response);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Writes the reply straight into the buffer it is sent from: no byte[] in between. */
    private ByteBuf encodeAll(Reply reply, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(256);
        boolean ok = false;
        try {
            JsonGenerator g = ByteBufJsonGenerator.reusedFor(buf, codec.mapper());
            if (reply.batch()) {
                codec.encodeBatch(reply.responses(), g);
            } else {
                codec.encode(reply.responses().get(0), g);
            }
            ok = true;
            return buf;
        } finally {
            if (!ok) {
                buf.release();
            }
        }
    }

    /** What one message earns: a single response object or a batch array. */
    public record Reply(boolean batch, List<JsonRpcResponse> responses) {
    }
}
