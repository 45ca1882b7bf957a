package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.address.AddressGroups;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Assembles every connection's pipeline with named handlers. A connection is counted against
 * the connection limit first (past it: a 503 and close). It starts as HTTP (health, metrics,
 * JSON-RPC POSTs, or the WebSocket upgrade); after an upgrade the HTTP-only handlers are removed
 * by {@link JsonRpcFrameHandler}. {@link ReadGate} sits first so that no handler can read a
 * connection that a limit has paused. With TLS, the {@link SslHandler} comes before it (it must see
 * the socket's bytes first) and a connection that cannot be answered in TLS is closed at once.
 */
public final class RpcServerInitializer extends ChannelInitializer<SocketChannel> {

    public static final String TLS = "tls";
    public static final String TLS_FAILURES = "tls-failures";
    public static final String READ_GATE = "read-gate";
    public static final String HTTP_FIRST_BYTES = "http-first-bytes";
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_GUARD = "http-guard";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String HTTP_FLOW_CONTROL = "http-flow-control";
    public static final String HANDSHAKE_TIMEOUT = "handshake-timeout";
    public static final String HTTP_IDLE = "http-idle";
    public static final String ROUTE = "route";
    public static final String HTTP_RPC = "http-rpc";
    public static final String WS_UPGRADE = "ws-upgrade";
    public static final String WS_AGGREGATOR = "ws-aggregator";
    public static final String WS_FLOW_CONTROL = "ws-flow-control";
    public static final String WS_RPC = "ws-rpc";
    public static final String WS_IDLE = "ws-idle";
    /** What an upgrade takes out (the codec and the aggregator go with the handshake). */
    static final List<String> HTTP_ONLY = List.of(HTTP_FIRST_BYTES, HTTP_GUARD, HTTP_FLOW_CONTROL,
            HANDSHAKE_TIMEOUT, HTTP_IDLE, ROUTE, HTTP_RPC);

    private static final byte[] FULL_HOUSE = refusal("too many connections; try again later");
    private static final byte[] ADDRESS_FULL = refusal("too many connections from your address; close some first");

    private final ServerConfig config;
    private final ConnectionTracker tracker;
    private final ClientAddresses clientAddresses;
    private final AddressGroups addressGroups;
    private final RouteHandler route;
    private final JsonRpcHttpHandler httpRpc;
    private final JsonRpcProcessor processor;
    private final BufferBudget budget;
    private final WebSocketDecoderConfig decoderConfig;
    private final JsonRpcFrameHandler.Limits webSocketLimits;
    private final Supplier<SslContext> tls;

    /** @param operator /health and /metrics on this port, or null when the management port serves them */
    public RpcServerInitializer(ServerConfig config, JsonRpcProcessor processor, ConnectionTracker tracker,
                                OperatorEndpoints operator) {
        this(config, processor, tracker, operator, null);
    }

    /**
     * @param operator /health and /metrics on this port, or null when the management port serves them
     * @param tls the TLS settings for each new connection (read per connection, so they may change); null for plain
     */
    public RpcServerInitializer(ServerConfig config, JsonRpcProcessor processor, ConnectionTracker tracker,
                                OperatorEndpoints operator, Supplier<SslContext> tls) {
        this.tls = tls;
        this.config = config;
        this.processor = processor;
        this.tracker = tracker;
        this.clientAddresses = new ClientAddresses(config.trustedProxies());
        this.addressGroups = new AddressGroups(config.ipv6Prefix());
        this.route = new RouteHandler(tracker, operator, clientAddresses, addressGroups, AllowedOrigins.of(config.allowedOrigins()));
        this.httpRpc = new JsonRpcHttpHandler(processor, tracker, clientAddresses);
        this.budget = new BufferBudget(maxBufferedBytes(config));
        this.webSocketLimits = JsonRpcFrameHandler.Limits.of(config);
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxMessageBytes())
                .allowExtensions(false)
                // the frame handler sends the close frame with the decoder's verdict
                .closeOnProtocolViolation(false)
                .withUTF8Validator(true)
                .build();
    }

    /** A 503 written before the request is read: a client that waits for an answer gets one, then the close. */
    private static byte[] refusal(String why) {
        String body = "{\"error\":\"" + why + "\"}";
        return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the canned 503 and closes; with TLS it only closes: a 503 would need a handshake first. */
    private void refuse(SocketChannel ch, byte[] response) {
        if (tls != null) {
            ch.close();
        } else {
            ch.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The configured budget, or a quarter of the direct memory Netty may use. */
    static long maxBufferedBytes(ServerConfig config) {
        return config.maxBufferedBytes() > 0 ? config.maxBufferedBytes() : Math.max(1, PlatformDependent.maxDirectMemory() / 4);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!tracker.tryOpen(ch)) {
            refuse(ch, FULL_HOUSE);
            return;
        }
        InetAddress peer = ch.remoteAddress().getAddress();
        // a trusted proxy carries many clients; they are counted by address when they upgrade
        if (!clientAddresses.isTrustedProxy(peer) && !tracker.tryClaimAddress(ch, addressGroups.groupOf(peer))) {
            refuse(ch, ADDRESS_FULL);
            return;
        }
        ch.attr(RequestRateLimiter.KEY).set(new RequestRateLimiter(config.maxRequestsPerSecond(), System::nanoTime));
        HttpRequestGuard guard = new HttpRequestGuard(config.requestReadTimeout(), budget);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler sslHandler = tls.get().newHandler(ch.alloc());
            sslHandler.setHandshakeTimeout(config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            p.addLast(TLS, sslHandler);
        }
        p.addLast(READ_GATE, ReadGate.INSTANCE);
        if (tls != null) {
            p.addLast(TLS_FAILURES, TlsFailureHandler.INSTANCE);
        }
        p.addLast(HTTP_FIRST_BYTES, guard.firstBytes());
        p.addLast(HTTP_CODEC, new HttpServerCodec());
        p.addLast(HTTP_GUARD, guard);
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(config.maxMessageBytes()));
        // holds pipelined HTTP requests back while autoRead is off, so that they are answered in order
        p.addLast(HTTP_FLOW_CONTROL, new FlowControlHandler());
        p.addLast(HANDSHAKE_TIMEOUT, new HandshakeTimeoutHandler(config.handshakeTimeout()));
        p.addLast(HTTP_IDLE, new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(ROUTE, route);
        p.addLast(HTTP_RPC, httpRpc);
        p.addLast(WS_UPGRADE, new WebSocketUpgradeHandler(decoderConfig, budget, config.messageTimeout()));
        p.addLast(WS_AGGREGATOR, new WebSocketFrameAggregator(config.maxMessageBytes()));
        p.addLast(WS_RPC, new JsonRpcFrameHandler(processor, tracker, webSocketLimits));
    }
}
