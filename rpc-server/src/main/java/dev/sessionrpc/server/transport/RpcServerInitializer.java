package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Assembles every connection's pipeline with named handlers. A connection starts as HTTP
 * (health, metrics, JSON-RPC POSTs, or the WebSocket upgrade); after an upgrade the HTTP-only
 * handlers are removed by {@link JsonRpcFrameHandler}.
 */
public final class RpcServerInitializer extends ChannelInitializer<SocketChannel> {

    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String HTTP_FLOW_CONTROL = "http-flow-control";
    public static final String HANDSHAKE_TIMEOUT = "handshake-timeout";
    public static final String HTTP_IDLE = "http-idle";
    public static final String ROUTE = "route";
    public static final String HTTP_RPC = "http-rpc";
    public static final String WS_PROTOCOL = "ws-protocol";
    public static final String WS_AGGREGATOR = "ws-aggregator";
    public static final String WS_RPC = "ws-rpc";
    public static final String WS_IDLE = "ws-idle";

    private final ServerConfig config;
    private final JsonRpcProcessor processor;
    private final ConnectionTracker tracker;
    private final RouteHandler route;
    private final JsonRpcHttpHandler httpRpc;
    private final WebSocketServerProtocolConfig wsConfig;

    public RpcServerInitializer(ServerConfig config, JsonRpcProcessor processor, ConnectionTracker tracker,
                                ServerMetrics metrics) {
        this.config = config;
        this.processor = processor;
        this.tracker = tracker;
        ClientAddresses clientAddresses = new ClientAddresses(config.trustedProxies());
        this.route = new RouteHandler(tracker, metrics, clientAddresses);
        this.httpRpc = new JsonRpcHttpHandler(processor, tracker, clientAddresses);
        this.wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(RouteHandler.RPC_PATH)
                .checkStartsWith(true)
                .handshakeTimeoutMillis(config.handshakeTimeout().toMillis())
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(config.maxMessageBytes())
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        .withUTF8Validator(true)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        tracker.channelOpened(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(HTTP_CODEC, new HttpServerCodec());
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(config.maxMessageBytes()));
        // holds pipelined HTTP requests back while autoRead is off, so that they are answered in order
        p.addLast(HTTP_FLOW_CONTROL, new FlowControlHandler());
        p.addLast(HANDSHAKE_TIMEOUT, new HandshakeTimeoutHandler(config.handshakeTimeout()));
        p.addLast(HTTP_IDLE, new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(ROUTE, route);
        p.addLast(HTTP_RPC, httpRpc);
        p.addLast(WS_PROTOCOL, new WebSocketServerProtocolHandler(wsConfig));
        p.addLast(WS_AGGREGATOR, new WebSocketFrameAggregator(config.maxMessageBytes()));
        p.addLast(WS_RPC, new JsonRpcFrameHandler(processor, tracker, config.maxInFlightPerConnection(),
                config.idleTimeout(), config.pingInterval()));
    }
}
