package dev.sessionrpc.server.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;

/**
 * Ends connections whose TLS fails, quietly: plain HTTP or WebSocket sent to the TLS port, a
 * client that does not trust the certificate, no common protocol or cipher, a handshake past
 * its time. These are the client's mistakes, so the connection is closed at once with one
 * DEBUG line and no stack trace, and the failure goes no further down the pipeline, where it
 * would be taken for a server fault.
 */
@ChannelHandler.Sharable
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {

    static final TlsFailureHandler INSTANCE = new TlsFailureHandler();

    private TlsFailureHandler() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            ClientFaultLog.CONNECTIONS.debug("{} TLS handshake failed: {}", ConnectionLog.name(ctx.channel()), describe(done.cause()));
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable tlsFailure = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (tlsFailure instanceof SSLException) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls == null || tls.handshakeFuture().isSuccess()) {
                // a failed handshake was told once already, by its completion event
                ClientFaultLog.CONNECTIONS.debug("{} closed, TLS failed: {}", ConnectionLog.name(ctx.channel()), describe(tlsFailure));
            }
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private static String describe(Throwable t) {
        if (t instanceof NotSslRecordException) {
            return "not TLS (plain HTTP or ws:// to the TLS port?)";
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
