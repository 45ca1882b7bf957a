package dev.sessionrpc.client;

import dev.sessionrpc.client.transport.WebSocketConnection;
import dev.sessionrpc.client.transport.WebSocketConnector;
import dev.sessionrpc.client.transport.WebSocketListener;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket behind an {@link RpcClient} and the calls riding on it. All state lives on one event
 * loop, so no lock is needed: messages wait in a queue while there is no connection, calls in
 * flight are kept by id until their reply comes, and a dropped socket fails those calls and
 * schedules a reconnect with exponential backoff and jitter.
 */
final class ReconnectingConnection implements WebSocketListener {

    private static final Logger log = LoggerFactory.getLogger(RpcClient.class);

    private final URI uri;
    private final EventLoop loop;
    private final WebSocketConnector connector;
    private final JsonRpcCodec codec;
    private final Duration reconnectMinDelay;
    private final Duration reconnectMaxDelay;
    private final Executor callbacks;
    private volatile boolean closed;
    private volatile WebSocketConnection connection;

    // confined to the event loop
    private final ArrayDeque<OutgoingMessage> waiting = new ArrayDeque<>();
    private final Map<RequestId, PendingCall> inFlight = new HashMap<>();
    private int failedAttempts;
    private ScheduledFuture<?> reconnectTask;

    ReconnectingConnection(WebSocketConnector connector, EventLoop loop, JsonRpcCodec codec,
                           Duration reconnectMinDelay, Duration reconnectMaxDelay, Executor callbacks) {
        this.uri = connector.uri();
        this.connector = connector;
        this.loop = loop;
        this.codec = codec;
        this.reconnectMinDelay = reconnectMinDelay;
        this.reconnectMaxDelay = reconnectMaxDelay;
        this.callbacks = callbacks;
    }

    boolean isConnected() {
        WebSocketConnection c = connection;
        return c != null && c.isOpen();
    }

    /** Opens the first connection; the future fails when it cannot be opened (no retry). */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        connector.connect(this).whenComplete((c, failure) -> onLoop(() -> {
            if (failure != null) {
                first.completeExceptionally(failure);
            } else {
                connected(c);
                first.complete(null);
            }
        }));
        return first;
    }

    /** Hands a message over: written now if connected, else queued until the next connection. */
    void submit(OutgoingMessage message) {
        try {
            loop.execute(() -> enqueue(message));
        } catch (RejectedExecutionException e) {
            message.failAll(closedException(), callbacks);
        }
    }

    private void enqueue(OutgoingMessage message) {
        if (closed) {
            message.failAll(closedException(), callbacks);
            return;
        }
        message.timeoutTask = loop.schedule(() -> timedOut(message), message.timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (isConnected()) {
            write(message);
        } else {
            waiting.add(message);
        }
    }

    private void write(OutgoingMessage message) {
        for (PendingCall p : message.pendings) {
            inFlight.put(p.id, p);
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            if (message.batch) {
                codec.encodeRequestBatch(message.requests, out);
            } else {
                codec.encodeRequest(message.requests.get(0), out);
            }
        } catch (Exception e) {
            buf.release();
            failMessage(message, new RpcClientException("could not encode the request", e));
            return;
        }
        connection.sendText(buf).whenComplete((ok, failure) -> {
            if (failure != null) {
                failMessage(message, new RpcTransportException("could not send to " + uri + ": " + failure, failure));
            } else {
                message.markWritten(callbacks);
                if (message.pendings.isEmpty()) {
                    message.timeoutTask.cancel(false);
                }
            }
        });
    }

    private void timedOut(OutgoingMessage message) {
        waiting.remove(message);
        for (PendingCall p : message.pendings) {
            inFlight.remove(p.id, p);
        }
        message.failAll(message.pendings.isEmpty()
                ? new RpcTransportException("could not send a notification to " + uri + " within "
                        + message.timeout.toMillis() + " ms")
                : new RpcTimeoutException(message.describe(), message.timeout), callbacks);
    }

    private void failMessage(OutgoingMessage message, RpcClientException e) {
        for (PendingCall p : message.pendings) {
            inFlight.remove(p.id, p);
        }
        message.timeoutTask.cancel(false);
        message.failAll(e, callbacks);
    }

    @Override
    public void onMessage(WebSocketConnection c, byte[] payload, boolean binary) {
        List<JsonRpcResponse> responses;
        try {
            responses = codec.decodeResponses(payload, 0, payload.length);
        } catch (IllegalArgumentException e) {
            log.warn("dropping a message from {} that is not a JSON-RPC reply: {}", uri, e.getMessage());
            return;
        }
        for (JsonRpcResponse response : responses) {
            if (response.id().kind() == RequestId.Kind.NULL) {
                receivedWithoutId(response);
                continue;
            }
            PendingCall p = inFlight.remove(response.id());
            if (p == null) {
                log.debug("dropping a reply for id {}, which is not awaited (timed out?)", response.id());
            } else {
                p.complete(response, callbacks);
            }
        }
    }

    /**
     * An error with id null answers a message the server could not read at all (parse error,
     * batch too long). It can be attributed only when a single message is awaiting replies.
     */
    private void receivedWithoutId(JsonRpcResponse response) {
        Map<OutgoingMessage, Boolean> awaiting = new IdentityHashMap<>();
        for (PendingCall p : inFlight.values()) {
            awaiting.put(p.message, Boolean.TRUE);
        }
        if (awaiting.size() != 1 || !response.isError()) {
            log.warn("dropping a reply with id null from {} that cannot be matched to a call: {} {}", uri,
                    response.isError() ? response.error().code() : "result",
                    response.isError() ? response.error().message() : "");
            return;
        }
        OutgoingMessage message = awaiting.keySet().iterator().next();
        for (PendingCall p : message.pendings) {
            if (inFlight.remove(p.id, p)) {
                p.complete(response, callbacks);
            }
        }
    }

    private void openConnection() {
        reconnectTask = null;
        if (closed) {
            return;
        }
        connector.connect(this).whenComplete((c, failure) -> onLoop(() -> {
            if (failure != null) {
                failedAttempts++;
                log.debug("connecting to {} failed (attempt {}): {}", uri, failedAttempts, failure.toString());
                scheduleReconnect();
            } else {
                connected(c);
            }
        }));
    }

    private void connected(WebSocketConnection c) {
        if (closed) {
            c.close();
            return;
        }
        if (failedAttempts > 0) {
            log.info("reconnected to {} after {} failed attempt(s)", uri, failedAttempts);
        }
        connection = c;
        failedAttempts = 0;
        while (!waiting.isEmpty() && c.isOpen()) {
            write(waiting.poll());
        }
    }

    @Override
    public void onClosed(WebSocketConnection c, int status, String reason, Throwable cause) {
        if (c != connection) {
            return;
        }
        connection = null;
        String why = status >= 0 ? "close " + status + (reason == null || reason.isEmpty() ? "" : " " + reason)
                : cause != null ? cause.toString() : "socket closed";
        failInFlight(new RpcTransportException("connection to " + uri + " lost (" + why
                + ") while the call was in flight; the server may or may not have executed it"));
        if (!closed) {
            log.info("connection to {} lost ({}); reconnecting", uri, why);
            scheduleReconnect();
        }
    }

    private void failInFlight(RpcTransportException e) {
        List<PendingCall> pendings = new ArrayList<>(inFlight.values());
        inFlight.clear();
        pendings.forEach(p -> p.fail(e, callbacks));
    }

    private void scheduleReconnect() {
        if (closed || reconnectTask != null) {
            return;
        }
        long min = reconnectMinDelay.toNanos();
        long max = reconnectMaxDelay.toNanos();
        long base = min << Math.min(failedAttempts, 30);
        long delay = base <= 0 || base > max ? max : base;
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        reconnectTask = loop.schedule(this::openConnection, jittered, TimeUnit.NANOSECONDS);
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                log.debug("event loop already stopped", e);
            }
        }
    }

    private RpcTransportException closedException() {
        return new RpcTransportException("the client for " + uri + " is closed");
    }

    /**
     * Stops reconnecting, fails what waits or is in flight, closes the socket. The future
     * completes when the socket is closed.
     */
    CompletableFuture<Void> close() {
        closed = true;
        CompletableFuture<Void> socketClosed = new CompletableFuture<>();
        onLoop(() -> {
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            RpcTransportException e = closedException();
            while (!waiting.isEmpty()) {
                OutgoingMessage m = waiting.poll();
                m.timeoutTask.cancel(false);
                m.failAll(e, callbacks);
            }
            failInFlight(e);
            WebSocketConnection c = connection;
            connection = null;
            if (c != null) {
                c.close().whenComplete((v, t) -> socketClosed.complete(null));
            } else {
                socketClosed.complete(null);
            }
        });
        return socketClosed;
    }
}
