package dev.sessionrpc.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;

/**
 * Turns an accepted upgrade request (RFC 6455 version 13 only; {@link RouteHandler} answers
 * 426 to any other) into a WebSocket: answers 101, puts the frame decoder with its bounds in
 * place of the HTTP codec, and tells {@link JsonRpcFrameHandler} with a {@code HandshakeComplete}
 * event. A client must wait for the 101 before it sends frames; bytes that came with the
 * upgrade request are a protocol error, answered with close 1002 rather than dropped unseen.
 */
final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {

    static final String DECODER = "wsdecoder";
    static final String UTF8 = "ws-utf8";

    private final WebSocketDecoderConfig decoderConfig;
    private final BufferBudget budget;
    private final Duration messageTimeout;
    private boolean upgrading;
    private boolean earlyData;

    WebSocketUpgradeHandler(WebSocketDecoderConfig decoderConfig, BufferBudget budget, Duration messageTimeout) {
        this.decoderConfig = decoderConfig;
        this.budget = budget;
        this.messageTimeout = messageTimeout;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgrading) {
            // before the 101 is out, anything more from the client was sent too soon: bytes the
            // HTTP codec held when it was taken out, or frames decoded while the 101 was queued
            earlyData |= !(msg instanceof ByteBuf bytes) || bytes.isReadable();
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        upgrading = true;
        try {
            Handshaker handshaker = new Handshaker(location(req, ctx.pipeline().get(SslHandler.class) != null), decoderConfig, budget, messageTimeout);
            handshaker.handshake(ctx.channel(), req).addListener(f -> {
                if (f.isSuccess()) {
                    upgraded(ctx, req.uri());
                } else {
                    ctx.close();
                }
            });
        } catch (WebSocketServerHandshakeException e) {
            HttpResponses.error(ctx, false, HttpResponseStatus.BAD_REQUEST, "bad WebSocket upgrade: " + e.getMessage());
        } finally {
            req.release();
        }
    }

    private void upgraded(ChannelHandlerContext ctx, String uri) {
        var pipeline = ctx.pipeline();
        pipeline.addAfter(DECODER, UTF8, new Utf8FrameValidator(false));
        pipeline.remove(this);
        if (earlyData) {
            JsonRpcFrameHandler.close(ctx.channel(), WebSocketCloseStatus.PROTOCOL_ERROR, "frames sent before the handshake completed");
            return;
        }
        pipeline.fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
                uri, EmptyHttpHeaders.INSTANCE, null));
    }

    private static String location(FullHttpRequest req, boolean tls) {
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        return (tls ? "wss://" : "ws://") + host + req.uri();
    }

    /** Version 13 with this server's decoder. */
    private static final class Handshaker extends WebSocketServerHandshaker13 {
        private final BufferBudget budget;
        private final Duration messageTimeout;

        Handshaker(String location, WebSocketDecoderConfig config, BufferBudget budget, Duration messageTimeout) {
            super(location, null, config);
            this.budget = budget;
            this.messageTimeout = messageTimeout;
        }

        @Override
        protected WebSocketFrameDecoder newWebsocketDecoder() {
            return new RpcWebSocketDecoder(decoderConfig(), budget, messageTimeout);
        }
    }
}
