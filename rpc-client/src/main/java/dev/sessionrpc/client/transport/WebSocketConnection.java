package dev.sessionrpc.client.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One open client WebSocket: sends text or binary messages and reports what comes back to its
 * {@link WebSocketListener}. Opened by {@link WebSocketConnector}; thread-safe.
 */
public final class WebSocketConnection {

    private final URI uri;
    private final Channel channel;

    WebSocketConnection(URI uri, Channel channel) {
        this.uri = uri;
        this.channel = channel;
    }

    public URI uri() {
        return uri;
    }

    /** The event loop every listener call of this connection runs on. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Sends one text message; the future completes when it is written. */
    public CompletableFuture<Void> sendText(String text) {
        return sendText(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** Sends one text message holding these UTF-8 bytes; takes ownership of the buffer. */
    public CompletableFuture<Void> sendText(ByteBuf utf8) {
        return written(channel.writeAndFlush(new TextWebSocketFrame(utf8)));
    }

    /** Sends one binary message. */
    public CompletableFuture<Void> sendBinary(byte[] payload) {
        return written(channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload))));
    }

    /** Sends a normal close (1000) and closes the socket; the future completes when it is closed. */
    public CompletableFuture<Void> close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "client closing"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
        return written(channel.closeFuture());
    }

    private static CompletableFuture<Void> written(ChannelFuture f) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        f.addListener(r -> {
            if (r.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(r.cause());
            }
        });
        return done;
    }

    @Override
    public String toString() {
        return "WebSocketConnection[" + uri + ", " + (isOpen() ? "open" : "closed") + "]";
    }
}
