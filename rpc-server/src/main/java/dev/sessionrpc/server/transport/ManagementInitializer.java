package dev.sessionrpc.server.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The management port's pipeline: plain HTTP with {@code /health} and {@code /metrics} only
 * (404 for anything else, JSON-RPC included), with the same bounds on slow and idle requests as
 * the public port and a connection limit of its own, so an operator's scraper never competes with
 * the public for places.
 */
public final class ManagementInitializer extends ChannelInitializer<SocketChannel> {

    /** Requests here are small; bodies are not read. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final ConnectionTracker tracker;
    private final OperatorEndpoints endpoints;
    private final Duration requestReadTimeout;
    private final Duration idleTimeout;
    private final BufferBudget budget = new BufferBudget(1024 * 1024);
    private final ChannelHandler handler = new Handler();

    public ManagementInitializer(ConnectionTracker tracker, OperatorEndpoints endpoints, Duration requestReadTimeout,
                                 Duration idleTimeout) {
        this.tracker = tracker;
        this.endpoints = endpoints;
        this.requestReadTimeout = requestReadTimeout;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!tracker.tryOpen(ch)) {
            ch.close();
            return;
        }
        HttpRequestGuard guard = new HttpRequestGuard(requestReadTimeout, budget);
        ChannelPipeline p = ch.pipeline();
        p.addLast(ReadGate.INSTANCE);
        p.addLast(guard.firstBytes());
        p.addLast(new HttpServerCodec());
        p.addLast(guard);
        p.addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES));
        p.addLast(new HandshakeTimeoutHandler(requestReadTimeout));
        p.addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(handler);
    }

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = req.decoderResult().isFailure() ? null : RouteHandler.pathOf(req);
            if (path == null) {
                HttpResponses.error(ctx, false, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            } else if (!endpoints.answer(ctx, req, path, keepAlive)) {
                HttpResponses.error(ctx, keepAlive, HttpResponseStatus.NOT_FOUND,
                        "the management port serves /health and /metrics only");
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ClientFaultLog.CONNECTIONS.debug("{} management connection closed: {}", ConnectionLog.name(ctx.channel()), cause.toString());
            ctx.close();
        }
    }
}
