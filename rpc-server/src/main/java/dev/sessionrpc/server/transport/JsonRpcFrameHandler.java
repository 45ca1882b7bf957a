package dev.sessionrpc.server.transport;

import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.server.dispatch.RequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over a WebSocket: each aggregated text or binary message is one request or batch,
 * answered with one text frame. Messages are executed concurrently and may be answered out of
 * order. Past the in-flight limit, or while the socket is not writable, reading stops until
 * replies drain; nothing is dropped. Also pings an idle peer and closes a silent one (1001),
 * and closes with 1009 when a message grows past the size limit.
 */
public final class JsonRpcFrameHandler extends ChannelInboundHandlerAdapter {

    private static final Logger connections = LoggerFactory.getLogger("dev.sessionrpc.server.connections");
    private static final Logger log = LoggerFactory.getLogger(JsonRpcFrameHandler.class);

    private final JsonRpcProcessor processor;
    private final ConnectionTracker tracker;
    private final int maxInFlight;
    private final Duration idleTimeout;
    private final Duration pingInterval;

    private RequestContext context;
    private int inFlight;
    private boolean inReadLoop;
    private boolean flushPending;

    public JsonRpcFrameHandler(JsonRpcProcessor processor, ConnectionTracker tracker, int maxInFlight,
                               Duration idleTimeout, Duration pingInterval) {
        this.processor = processor;
        this.tracker = tracker;
        this.maxInFlight = maxInFlight;
        this.idleTimeout = idleTimeout;
        this.pingInterval = pingInterval;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            upgraded(ctx);
        } else if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                connections.info("{} closed: idle for {} s", ctx.channel().remoteAddress(), idleTimeout.toSeconds());
                close(ctx, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "idle timeout");
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void upgraded(ChannelHandlerContext ctx) {
        var pipeline = ctx.pipeline();
        for (String name : new String[] {RpcServerInitializer.HTTP_FLOW_CONTROL, RpcServerInitializer.ROUTE,
                RpcServerInitializer.HTTP_RPC, RpcServerInitializer.HTTP_IDLE}) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
        pipeline.addFirst(RpcServerInitializer.WS_IDLE, new IdleStateHandler(
                idleTimeout.toMillis(), pingInterval.toMillis(), 0, TimeUnit.MILLISECONDS));
        InetAddress client = ctx.channel().attr(ClientAddresses.CLIENT).get();
        if (client == null) {
            client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        }
        context = new RequestContext(client, RequestContext.Transport.WEBSOCKET);
        tracker.webSocketOpened(ctx.channel());
        connections.info("{} opened a WebSocket (client {})", ctx.channel().remoteAddress(), client.getHostAddress());
        ctx.channel().closeFuture().addListener(f ->
                connections.info("{} closed its WebSocket", ctx.channel().remoteAddress()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) || context == null) {
            if (msg instanceof WebSocketFrame frame) {
                frame.release();
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        DecodedMessage message;
        ByteBuf content = ((WebSocketFrame) msg).content();
        try {
            message = processor.decode(content);
        } finally {
            content.release();
        }
        int weight = JsonRpcProcessor.weight(message);
        inFlight += weight;
        tracker.requestsStarted(weight);
        if (inFlight >= maxInFlight) {
            ctx.channel().config().setAutoRead(false);
        }
        inReadLoop = true;
        processor.execute(message, context).whenComplete((reply, failure) -> {
            if (ctx.executor().inEventLoop()) {
                reply(ctx, reply, failure, weight);
            } else {
                ctx.executor().execute(() -> reply(ctx, reply, failure, weight));
            }
        });
    }

    private void reply(ChannelHandlerContext ctx, JsonRpcProcessor.Reply reply, Throwable failure, int weight) {
        if (failure != null) {
            log.error("unexpected failure while executing a message from {}", ctx.channel().remoteAddress(), failure);
        }
        if (reply == null || failure != null || !ctx.channel().isActive()) {
            finished(ctx, weight);
            return;
        }
        TextWebSocketFrame frame = new TextWebSocketFrame(processor.encode(reply, ctx.alloc()));
        ChannelFutureListener done = f -> finished(ctx, weight);
        if (inReadLoop) {
            ctx.write(frame).addListener(done);
            flushPending = true;
        } else {
            ctx.writeAndFlush(frame).addListener(done);
        }
    }

    private void finished(ChannelHandlerContext ctx, int weight) {
        inFlight -= weight;
        tracker.requestsFinished(weight);
        maybeResume(ctx);
    }

    private void maybeResume(ChannelHandlerContext ctx) {
        var config = ctx.channel().config();
        if (!config.isAutoRead() && inFlight < maxInFlight && ctx.channel().isWritable() && !tracker.draining()) {
            config.setAutoRead(true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadLoop = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        } else {
            maybeResume(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (context == null) {
            connections.debug("{} closed before upgrading: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else if (cause instanceof TooLongFrameException) {
            connections.info("{} closed: message larger than the limit", ctx.channel().remoteAddress());
            close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            connections.info("{} closed: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        } else if (cause instanceof IOException) {
            connections.debug("{} I/O error: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.warn("{} closed after an unexpected error", ctx.channel().remoteAddress(), cause);
            close(ctx, WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    static void close(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
