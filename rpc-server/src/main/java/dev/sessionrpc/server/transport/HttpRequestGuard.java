package dev.sessionrpc.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;

/**
 * Bounds every HTTP request a connection sends, the first and each later one on a kept-alive
 * connection: it must arrive whole, head and body, within the request read timeout of its first
 * byte (a client dribbling one byte at a time otherwise holds the socket forever, since each
 * byte resets the idle timer), and its body comes out of the server-wide {@link BufferBudget}
 * while it is coming in (413 when spent). Also refuses what RFC 9112 says to refuse before any
 * of it is read further: a version other than 1.0 or 1.1 (505), HTTP/1.1 without exactly one
 * Host (400), a transfer coding other than chunked ahead of chunked (501), since we do not
 * decode it. A request whose last coding is not chunked has no knowable length: the codec itself
 * marks it malformed and reads nothing after it, and {@link RouteHandler} answers 400. Sits after
 * the HTTP codec; {@link #firstBytes()} sits before it and starts the clock.
 */
final class HttpRequestGuard extends ChannelInboundHandlerAdapter {

    private final ProgressTimer timer;
    private final BufferBudget.Account body;
    private final FirstBytes firstBytes = new FirstBytes();
    private ChannelHandlerContext ctx;
    private boolean refused;

    HttpRequestGuard(Duration readTimeout, BufferBudget budget) {
        this.timer = new ProgressTimer(readTimeout, this::timedOut);
        this.body = budget.account();
    }

    /** The handler to place before the HTTP codec. */
    ChannelHandler firstBytes() {
        return firstBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            timer.start(ctx);
            Refusal refusal = refusal(req);
            if (refusal != null) {
                refuse(ctx, msg, refusal.status(), refusal.why());
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (!body.hold(body.held() + content.content().readableBytes())) {
                refuse(ctx, msg, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        "the server holds too many unfinished request bodies; send it again later");
                return;
            }
            if (msg instanceof LastHttpContent) {
                timer.stop();
                body.clear();
            }
        }
        ctx.fireChannelRead(msg);
    }

    private record Refusal(HttpResponseStatus status, String why) {
    }

    /** Why this request head is refused, or null. */
    private static Refusal refusal(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            return null; // RouteHandler answers 400 for what the codec could not parse
        }
        HttpVersion version = req.protocolVersion();
        if (!HttpVersion.HTTP_1_1.equals(version) && !HttpVersion.HTTP_1_0.equals(version)) {
            return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        if (HttpVersion.HTTP_1_1.equals(version) && req.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header");
        }
        List<String> codings = req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && (codings.size() > 1
                || !AsciiString.contentEqualsIgnoreCase(codings.get(0).trim(), HttpHeaderValues.CHUNKED))) {
            return new Refusal(HttpResponseStatus.NOT_IMPLEMENTED, "the only transfer coding served is chunked");
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String why) {
        ReferenceCountUtil.release(msg);
        refused = true;
        timer.stop();
        body.clear();
        ClientFaultLog.SHARED.log(ctx.channel(), "HTTP " + status.code(), why);
        HttpResponses.error(ctx, false, status, why);
    }

    private void timedOut() {
        ClientFaultLog.SHARED.log(ctx.channel(), "closed",
                "HTTP request not complete within " + timer.timeout().toSeconds() + " s");
        refused = true;
        body.clear();
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.stop();
        body.clear();
    }

    /** Starts the clock at a request's first byte, before the codec has made anything of it. */
    private final class FirstBytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!refused && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                timer.start(ctx);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
