package dev.sessionrpc.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.client.transport.TrustedCertificates;
import dev.sessionrpc.client.transport.WebSocketConnector;
import dev.sessionrpc.client.transport.WebSocketOptions;
import dev.sessionrpc.protocol.CodecLimits;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.MethodDescriptor;
import dev.sessionrpc.protocol.ParamsBytes;
import dev.sessionrpc.protocol.RequestId;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
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
 *     ServerInformation info = rpc.call(SessionDescriptors.SERVER_INFORMATION, null).join();
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
    private final ReconnectingConnection connection;
    private final ObjectMapper mapper;
    private final Duration callTimeout;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private RpcClient(Builder b) {
        this.uri = b.uri;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rpc-client", true), NioIoHandler.newFactory());
        this.loop = group.next();
        WebSocketConnector connector = new WebSocketConnector(b.uri, group,
                new WebSocketOptions(b.connectTimeout, b.handshakeTimeout, b.maxMessageBytes, b.pingInterval, false),
                b.sslContext != null || b.caFile == null ? b.sslContext : TrustedCertificates.forWebSocket(b.caFile));
        JsonRpcCodec codec = new JsonRpcCodec(new CodecLimits(MAX_REPLY_NESTING, CodecLimits.DEFAULT_MAX_BATCH_LENGTH));
        this.mapper = codec.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.callTimeout = b.callTimeout;
        this.connection = new ReconnectingConnection(connector, loop, codec, b.reconnectMinDelay, b.reconnectMaxDelay,
                b.callbackExecutor);
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
        return connection.isConnected();
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
     * Calls a method through its descriptor, with the default timeout: the params are written
     * and the result read by the descriptor's marshallers, so the caller gets the result typed.
     *
     * @param params the params, or null for none
     */
    public <P, R> CompletableFuture<R> call(MethodDescriptor<P, R> method, P params) {
        OutgoingMessage message = new OutgoingMessage(false, callTimeout);
        CompletableFuture<JsonRpcResponse> reply = message.add(nextId(), method.name(),
                JsonMarshallers.writeParams(params, method.params()));
        connection.submit(message);
        return resultOf(method.name(), reply).thenApply(result -> read(method, result));
    }

    /**
     * Calls a method and returns the reply as it came, error or not: for tools that show replies
     * rather than act on them.
     */
    public CompletableFuture<JsonRpcResponse> exchange(String method, Object params, Duration timeout) {
        OutgoingMessage message = new OutgoingMessage(false, timeout);
        CompletableFuture<JsonRpcResponse> reply = message.add(nextId(), method, toParams(params));
        connection.submit(message);
        return reply;
    }

    /** Sends a notification: no id, never answered. The future completes when it is written. */
    public CompletableFuture<Void> notify(String method, Object params) {
        OutgoingMessage message = new OutgoingMessage(false, callTimeout);
        message.add(null, method, toParams(params));
        connection.submit(message);
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
        private final OutgoingMessage message;
        private boolean sent;

        private Batch(Duration timeout) {
            this.message = new OutgoingMessage(true, timeout);
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
            connection.submit(message);
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

    private ParamsBytes toParams(Object params) {
        if (params == null) {
            return null;
        }
        JsonNode node = params instanceof JsonNode n ? n : mapper.valueToTree(params);
        if (!node.isObject() && !node.isArray()) {
            throw new IllegalArgumentException("params must be a JSON object or array, not " + node.getNodeType());
        }
        return JsonMarshallers.params(node);
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

    private static <R> R read(MethodDescriptor<?, R> method, JsonNode result) {
        try (JsonParser p = result.traverse()) {
            p.nextToken();
            return method.result().read(p);
        } catch (IOException | RuntimeException e) {
            throw new RpcClientException("the result of " + method.name() + " is not what its descriptor reads", e);
        }
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
        CompletableFuture<Void> socketClosed = connection.close();
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

    /** Settings of a client; every one has a sane default. */
    public static final class Builder {
        private final URI uri;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration connectTimeout = WebSocketOptions.DEFAULT_CONNECT_TIMEOUT;
        private Duration handshakeTimeout = WebSocketOptions.DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxMessageBytes = WebSocketOptions.DEFAULT_MAX_MESSAGE_BYTES;
        private Duration pingInterval = WebSocketOptions.DEFAULT_PING_INTERVAL;
        private Duration reconnectMinDelay = DEFAULT_RECONNECT_MIN_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private SslContext sslContext;
        private Path caFile;
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
        /**
         * How long the socket may be silent before the client pings; nothing heard for three times
         * this closes the socket and reconnects. {@link Duration#ZERO} switches pings off.
         */
        public Builder pingInterval(Duration v) { pingInterval = Objects.requireNonNull(v); return this; }
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
        /**
         * For {@code wss://}: trust the certificate authorities in this PEM file (a private CA)
         * instead of the JDK trust store; the server's host name is still checked. Ignored when
         * {@link #sslContext(SslContext)} is set.
         */
        public Builder caFile(Path v) { caFile = v; return this; }
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
                client.connection.start().get();
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
