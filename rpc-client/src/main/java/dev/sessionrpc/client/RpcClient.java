package dev.sessionrpc.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.client.transport.WebSocketConnection;
import dev.sessionrpc.client.transport.WebSocketConnector;
import dev.sessionrpc.client.transport.WebSocketListener;
import dev.sessionrpc.client.transport.WebSocketOptions;
import dev.sessionrpc.protocol.CodecLimits;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-RPC 2.0 client over one persistent WebSocket. Calls are pipelined: each returns a
 * {@link CompletableFuture} at once and replies, which may come in any order, are matched by id.
 * When the socket drops, calls in flight fail with {@link RpcTransportException} (the server may
 * or may not have run them), the client reconnects with exponential backoff, and calls made
 * meanwhile wait for the new connection within their timeout. Futures complete on the callback
 * executor (the common pool unless set), never on the I/O thread, so callers may block in them.
 *
 * <pre>{@code
 * try (RpcClient rpc = RpcClient.builder(URI.create("ws://localhost:8080/rpc")).connect()) {
 *     JsonNode info = rpc.call("help.get_server_information", null).join();
 * }
 * }</pre>
 */
public final class RpcClient implements AutoCloseable {

    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RECONNECT_MIN_DELAY = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(10);
    /** Replies may nest deeper than requests are allowed to; this bounds the parser all the same. */
    private static final int MAX_REPLY_NESTING = 1000;

    private static final Logger log = LoggerFactory.getLogger(RpcClient.class);

    private final URI uri;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final WebSocketConnector connector;
    private final JsonRpcCodec codec;
    private final ObjectMapper mapper;
    private final Duration callTimeout;
    private final Duration reconnectMinDelay;
    private final Duration reconnectMaxDelay;
    private final Executor callbacks;
    private final AtomicLong ids = new AtomicLong();
    private final Listener listener = new Listener();
    private volatile boolean closed;

    // confined to the event loop
    private WebSocketConnection connection;
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private final Map<RequestId, Pending> inFlight = new HashMap<>();
    private int failedAttempts;
    private ScheduledFuture<?> reconnectTask;

    private RpcClient(Builder b) {
        this.uri = b.uri;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("rpc-client", true));
        this.loop = group.next();
        this.connector = new WebSocketConnector(b.uri, group,
                new WebSocketOptions(b.connectTimeout, b.handshakeTimeout, b.maxMessageBytes), b.sslContext);
        this.codec = new JsonRpcCodec(new CodecLimits(MAX_REPLY_NESTING, CodecLimits.DEFAULT_MAX_BATCH_LENGTH));
        this.mapper = codec.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.callTimeout = b.callTimeout;
        this.reconnectMinDelay = b.reconnectMinDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.callbacks = b.callbackExecutor;
    }

    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Connects with every default; see {@link Builder#connect()}. */
    public static RpcClient connect(URI uri) {
        return builder(uri).connect();
    }

    public URI uri() {
        return uri;
    }

    /** The mapper used for params and results; lenient about members it does not know. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Whether the socket is open right now (it may drop the next moment). */
    public boolean isConnected() {
        WebSocketConnection c = connection;
        return c != null && c.isOpen();
    }

    // ---------------------------------------------------------------- calls

    /** Calls a method with the default timeout; the future holds the result or fails with an {@link RpcClientException}. */
    public CompletableFuture<JsonNode> call(String method, Object params) {
        return call(method, params, callTimeout);
    }

    /**
     * Calls a method.
     *
     * @param params an object or array: a {@link JsonNode}, a map, a record, a list; or null for none
     */
    public CompletableFuture<JsonNode> call(String method, Object params, Duration timeout) {
        return resultOf(method, exchange(method, params, timeout));
    }

    /** Calls a method and maps its result to {@code type}. */
    public <T> CompletableFuture<T> call(String method, Object params, Class<T> type) {
        return call(method, params, callTimeout).thenApply(result -> convert(method, result, type));
    }

    /**
     * Calls a method and returns the reply as it came, error or not: for tools that show replies
     * rather than act on them.
     */
    public CompletableFuture<JsonRpcResponse> exchange(String method, Object params, Duration timeout) {
        Outgoing message = new Outgoing(false, timeout);
        CompletableFuture<JsonRpcResponse> reply = message.add(nextId(), method, toParams(params));
        submit(message);
        return reply;
    }

    /** Sends a notification: no id, never answered. The future completes when it is written. */
    public CompletableFuture<Void> notify(String method, Object params) {
        Outgoing message = new Outgoing(false, callTimeout);
        message.add(null, method, toParams(params));
        submit(message);
        return message.written;
    }

    /** Starts a batch: calls and notifications collected here go out as one JSON array. */
    public Batch batch() {
        return new Batch(callTimeout);
    }

    /** Starts a batch whose calls share this timeout. */
    public Batch batch(Duration timeout) {
        return new Batch(timeout);
    }

    /** Collects the members of one batch message; not thread-safe, send it once. */
    public final class Batch {
        private final Outgoing message;
        private boolean sent;

        private Batch(Duration timeout) {
            this.message = new Outgoing(true, timeout);
        }

        /** Adds a call; its future completes when the batch reply holding its id arrives. */
        public CompletableFuture<JsonNode> call(String method, Object params) {
            checkOpen();
            return resultOf(method, message.add(nextId(), method, toParams(params)));
        }

        /** Adds a notification. */
        public Batch notify(String method, Object params) {
            checkOpen();
            message.add(null, method, toParams(params));
            return this;
        }

        /** Sends the batch; the future completes when it is written. */
        public CompletableFuture<Void> send() {
            checkOpen();
            if (message.requests.isEmpty()) {
                throw new IllegalStateException("an empty batch is not a valid JSON-RPC message");
            }
            sent = true;
            submit(message);
            return message.written;
        }

        private void checkOpen() {
            if (sent) {
                throw new IllegalStateException("this batch was already sent");
            }
        }
    }

    private RequestId nextId() {
        return RequestId.of(ids.incrementAndGet());
    }

    private JsonNode toParams(Object params) {
        if (params == null) {
            return null;
        }
        JsonNode node = params instanceof JsonNode n ? n : mapper.valueToTree(params);
        if (!node.isObject() && !node.isArray()) {
            throw new IllegalArgumentException("params must be a JSON object or array, not " + node.getNodeType());
        }
        return node;
    }

    private CompletableFuture<JsonNode> resultOf(String method, CompletableFuture<JsonRpcResponse> reply) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        reply.whenComplete((response, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else if (response.isError()) {
                result.completeExceptionally(new RpcErrorException(method, response.error()));
            } else {
                result.complete((JsonNode) response.result());
            }
        });
        return result;
    }

    private <T> T convert(String method, JsonNode result, Class<T> type) {
        try {
            return mapper.treeToValue(result, type);
        } catch (Exception e) {
            throw new RpcClientException("the result of " + method + " is not a " + type.getSimpleName(), e);
        }
    }

    /** The cause inside the wrappers that futures add. */
    public static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    // ---------------------------------------------------------------- the event loop's side

    private void submit(Outgoing message) {
        try {
            loop.execute(() -> enqueue(message));
        } catch (RejectedExecutionException e) {
            message.failAll(closedException(), callbacks);
        }
    }

    private void enqueue(Outgoing message) {
        if (closed) {
            message.failAll(closedException(), callbacks);
            return;
        }
        message.timeoutTask = loop.schedule(() -> timedOut(message), message.timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (connection != null && connection.isOpen()) {
            write(message);
        } else {
            waiting.add(message);
        }
    }

    private void write(Outgoing message) {
        for (Pending p : message.pendings) {
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

    private void timedOut(Outgoing message) {
        waiting.remove(message);
        for (Pending p : message.pendings) {
            inFlight.remove(p.id, p);
        }
        message.failAll(message.pendings.isEmpty()
                ? new RpcTransportException("could not send a notification to " + uri + " within "
                        + message.timeout.toMillis() + " ms")
                : new RpcTimeoutException(message.describe(), message.timeout), callbacks);
    }

    private void failMessage(Outgoing message, RpcClientException e) {
        for (Pending p : message.pendings) {
            inFlight.remove(p.id, p);
        }
        message.timeoutTask.cancel(false);
        message.failAll(e, callbacks);
    }

    private void received(byte[] payload) {
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
            Pending p = inFlight.remove(response.id());
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
        Map<Outgoing, Boolean> awaiting = new IdentityHashMap<>();
        for (Pending p : inFlight.values()) {
            awaiting.put(p.message, Boolean.TRUE);
        }
        if (awaiting.size() != 1 || !response.isError()) {
            log.warn("dropping a reply with id null from {} that cannot be matched to a call: {} {}", uri,
                    response.isError() ? response.error().code() : "result",
                    response.isError() ? response.error().message() : "");
            return;
        }
        Outgoing message = awaiting.keySet().iterator().next();
        for (Pending p : message.pendings) {
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
        connector.connect(listener).whenComplete((c, failure) -> onLoop(() -> {
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
        if (failedAttempts > 0 || connection != null) {
            log.info("reconnected to {}", uri);
        }
        connection = c;
        failedAttempts = 0;
        while (!waiting.isEmpty() && connection.isOpen()) {
            write(waiting.poll());
        }
    }

    private void disconnected(WebSocketConnection c, int status, String reason, Throwable cause) {
        if (c != connection) {
            return;
        }
        connection = null;
        String why = status >= 0 ? "close " + status + (reason == null || reason.isEmpty() ? "" : " " + reason)
                : cause != null ? cause.toString() : "socket closed";
        if (!inFlight.isEmpty()) {
            RpcTransportException lost = new RpcTransportException("connection to " + uri + " lost (" + why
                    + ") while the call was in flight; the server may or may not have executed it");
            List<Pending> pendings = new ArrayList<>(inFlight.values());
            inFlight.clear();
            for (Pending p : pendings) {
                p.fail(lost, callbacks);
            }
        }
        if (!closed) {
            log.info("connection to {} lost ({}); reconnecting", uri, why);
            scheduleReconnect();
        }
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

    private CompletableFuture<Void> start() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        connector.connect(listener).whenComplete((c, failure) -> onLoop(() -> {
            if (failure != null) {
                first.completeExceptionally(failure);
            } else {
                connected(c);
                first.complete(null);
            }
        }));
        return first;
    }

    /**
     * Closes the socket and stops reconnecting; calls waiting or in flight fail with
     * {@link RpcTransportException}. Safe to call twice.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> socketClosed = new CompletableFuture<>();
        onLoop(() -> {
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            RpcTransportException e = closedException();
            while (!waiting.isEmpty()) {
                Outgoing o = waiting.poll();
                o.timeoutTask.cancel(false);
                o.failAll(e, callbacks);
            }
            List<Pending> pendings = new ArrayList<>(inFlight.values());
            inFlight.clear();
            pendings.forEach(p -> p.fail(e, callbacks));
            WebSocketConnection c = connection;
            connection = null;
            if (c != null) {
                c.close().whenComplete((v, t) -> socketClosed.complete(null));
            } else {
                socketClosed.complete(null);
            }
        });
        if (!loop.inEventLoop()) {
            try {
                socketClosed.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("socket did not close cleanly", e);
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (!loop.inEventLoop()) {
            group.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- bookkeeping

    /** One message on its way: a single request or notification, or a batch. */
    private static final class Outgoing {
        final boolean batch;
        final Duration timeout;
        final List<JsonRpcRequest> requests = new ArrayList<>();
        final List<Pending> pendings = new ArrayList<>();
        final CompletableFuture<Void> written = new CompletableFuture<>();
        ScheduledFuture<?> timeoutTask;
        int remaining;

        Outgoing(boolean batch, Duration timeout) {
            this.batch = batch;
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
        }

        CompletableFuture<JsonRpcResponse> add(RequestId id, String method, JsonNode params) {
            requests.add(new JsonRpcRequest(id, method, params));
            if (id == null) {
                return null;
            }
            Pending p = new Pending(id, method, this);
            pendings.add(p);
            remaining++;
            return p.future;
        }

        String describe() {
            if (pendings.size() == 1) {
                return pendings.get(0).method;
            }
            return "a batch of " + requests.size();
        }

        void markWritten(Executor callbacks) {
            complete(callbacks, () -> written.complete(null));
        }

        void failAll(RpcClientException e, Executor callbacks) {
            RpcClient.complete(callbacks, () -> {
                for (Pending p : pendings) {
                    p.future.completeExceptionally(e);
                }
                written.completeExceptionally(e);
            });
        }

        void oneDone() {
            if (--remaining == 0 && timeoutTask != null) {
                timeoutTask.cancel(false);
            }
        }
    }

    /** A call awaiting its reply. */
    private static final class Pending {
        final RequestId id;
        final String method;
        final Outgoing message;
        final CompletableFuture<JsonRpcResponse> future = new CompletableFuture<>();

        Pending(RequestId id, String method, Outgoing message) {
            this.id = id;
            this.method = method;
            this.message = message;
        }

        void complete(JsonRpcResponse response, Executor callbacks) {
            message.oneDone();
            RpcClient.complete(callbacks, () -> future.complete(response));
        }

        void fail(RpcClientException e, Executor callbacks) {
            message.oneDone();
            RpcClient.complete(callbacks, () -> future.completeExceptionally(e));
        }
    }

    private static void complete(Executor callbacks, Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private final class Listener implements WebSocketListener {
        @Override
        public void onMessage(WebSocketConnection c, byte[] payload, boolean binary) {
            received(payload);
        }

        @Override
        public void onClosed(WebSocketConnection c, int closeStatus, String closeReason, Throwable cause) {
            disconnected(c, closeStatus, closeReason, cause);
        }
    }

    /** Settings of a client; every one has a sane default. */
    public static final class Builder {
        private final URI uri;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration connectTimeout = WebSocketOptions.DEFAULT_CONNECT_TIMEOUT;
        private Duration handshakeTimeout = WebSocketOptions.DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxMessageBytes = WebSocketOptions.DEFAULT_MAX_MESSAGE_BYTES;
        private Duration reconnectMinDelay = DEFAULT_RECONNECT_MIN_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private SslContext sslContext;
        private Executor callbackExecutor = ForkJoinPool.commonPool();

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** Default time a call may take, including any wait for a reconnect. */
        public Builder callTimeout(Duration v) { callTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        /** Largest reply accepted from the server. */
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        /** Reconnect delays: the first is {@code min}, each failure doubles it up to {@code max}, with jitter. */
        public Builder reconnectDelay(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("need 0 < min <= max, got " + min + " and " + max);
            }
            reconnectMinDelay = min;
            reconnectMaxDelay = max;
            return this;
        }
        /** TLS settings for {@code wss://}; by default the JDK trust store and host name checks. */
        public Builder sslContext(SslContext v) { sslContext = v; return this; }
        /** Where futures complete; the common pool by default. */
        public Builder callbackExecutor(Executor v) { callbackExecutor = Objects.requireNonNull(v); return this; }

        /**
         * Opens the connection and returns the connected client.
         *
         * @throws RpcTransportException when the first connection cannot be opened
         */
        public RpcClient connect() {
            RpcClient client = new RpcClient(this);
            try {
                client.start().get();
                return client;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.close();
                throw new RpcTransportException("interrupted while connecting to " + uri, e);
            } catch (ExecutionException e) {
                client.close();
                Throwable cause = unwrap(e);
                throw new RpcTransportException("cannot connect to " + uri + ": " + cause, cause);
            }
        }
    }
}
