package dev.sessionrpc.client.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The last handler of a client WebSocket: completes the connect future when the upgrade is
 * done, hands whole messages to the listener, answers the peer's close frame and remembers its
 * status, and reports the end of the connection exactly once.
 */
final class WebSocketClientHandler extends ChannelInboundHandlerAdapter {

    private final URI uri;
    private final WebSocketListener listener;
    private final CompletableFuture<WebSocketConnection> opened;
    private WebSocketConnection connection;
    private int closeStatus = -1;
    private String closeReason;
    private Throwable cause;

    WebSocketClientHandler(URI uri, WebSocketListener listener, CompletableFuture<WebSocketConnection> opened) {
        this.uri = uri;
        this.listener = listener;
        this.opened = opened;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            connection = new WebSocketConnection(uri, ctx.channel());
            if (!opened.complete(connection)) {
                ctx.close();
            }
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            opened.completeExceptionally(new java.util.concurrent.TimeoutException("WebSocket upgrade of " + uri + " timed out"));
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                closeStatus = close.statusCode();
                closeReason = close.reasonText();
                ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, close.content().retain()))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (connection != null && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                byte[] payload = ByteBufUtil.getBytes(((WebSocketFrame) msg).content());
                listener.onMessage(connection, payload, msg instanceof BinaryWebSocketFrame);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) {
            cause = t;
        }
        opened.completeExceptionally(t);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!opened.isDone()) {
            opened.completeExceptionally(cause != null ? cause
                    : new java.io.IOException("connection to " + uri + " closed during the WebSocket upgrade"));
        } else if (connection != null) {
            listener.onClosed(connection, closeStatus, closeReason, cause);
        }
        ctx.fireChannelInactive();
    }
}
