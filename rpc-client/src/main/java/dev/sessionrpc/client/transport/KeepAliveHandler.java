package dev.sessionrpc.client.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Keeps a client WebSocket honest: pings after a spell of silence on the way out, and closes the
 * socket when nothing at all came in for longer (not even a pong), so that a connection that died
 * without a FIN (laptop asleep, network switched) is noticed and replaced instead of swallowing
 * calls until they time out. Reacts to the events of an {@link io.netty.handler.timeout.IdleStateHandler}
 * placed before it.
 */
final class KeepAliveHandler extends ChannelDuplexHandler {

    /** Before the upgrade the handshake timeout rules, and a ping would not be a frame yet. */
    private boolean upgraded;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            upgraded = true;
        } else if (evt instanceof IdleStateEvent idle) {
            if (!upgraded) {
                return;
            }
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new PingWebSocketFrame()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            } else if (idle.state() == IdleState.READER_IDLE) {
                ctx.fireExceptionCaught(new java.io.IOException("nothing heard from the server for too long; "
                        + "taking the connection for dead"));
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
