package dev.sessionrpc.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/** Writes complete HTTP responses with the right length and keep-alive handling. */
final class HttpResponses {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    private HttpResponses() {
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String contentType, String body) {
        send(ctx, keepAlive, status, contentType, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String contentType, ByteBuf body) {
        send(ctx, keepAlive, response(status, contentType, body));
    }

    /** A response to add headers to before {@link #send(ChannelHandlerContext, boolean, FullHttpResponse)}. */
    static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        return response;
    }

    /**
     * Sends with the length, the keep-alive choice and a {@code Date} (RFC 9110 §6.6.1), by which
     * a client can tell how far its clock is from the server's.
     */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A short error as JSON, {@code {"error": "..."}}, for answers outside JSON-RPC. */
    static void error(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String message) {
        send(ctx, keepAlive, errorResponse(status, message));
    }

    /** The response {@link #error} sends, to add headers to first. */
    static FullHttpResponse errorResponse(HttpResponseStatus status, String message) {
        return response(status, JSON, Unpooled.copiedBuffer(
                "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}", StandardCharsets.UTF_8));
    }

    /** 405 with the method that is allowed. */
    static void methodNotAllowed(ChannelHandlerContext ctx, boolean keepAlive, String allow) {
        send(ctx, keepAlive, methodNotAllowedResponse(allow));
    }

    /** The response {@link #methodNotAllowed} sends, to add headers to first. */
    static FullHttpResponse methodNotAllowedResponse(String allow) {
        FullHttpResponse response = errorResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use " + allow);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }
}
