package dev.sessionrpc.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose first HTTP request (a WebSocket upgrade or a POST) has not fully
 * arrived within the handshake time, so that a client trickling bytes cannot hold a socket.
 * Removes itself once a complete request is in.
 */
public final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger("dev.sessionrpc.server.connections");

    private final Duration timeout;
    private ScheduledFuture<?> timer;

    public HandshakeTimeoutHandler(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            schedule(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        schedule(ctx);
        ctx.fireChannelActive();
    }

    private void schedule(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                log.info("{} closed: no complete request within {} ms", ConnectionLog.name(ctx.channel()), timeout.toMillis());
                ctx.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            cancel();
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
