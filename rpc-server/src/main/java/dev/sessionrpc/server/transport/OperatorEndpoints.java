package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /health} and {@code /metrics}, for health checkers and Prometheus: served on the public
 * port, or alone on the management port when one is set, so that the public never sees them.
 * With a metrics token, {@code /metrics} needs {@code Authorization: Bearer <token>} (compared in
 * constant time); the metrics name every method and count every outcome, which is not for anyone.
 */
public final class OperatorEndpoints {

    private static final String BEARER = "Bearer ";

    private final ConnectionTracker tracker;
    private final ServerMetrics metrics;
    private final byte[] metricsToken;

    /** @param metricsToken the token /metrics asks for, or null to serve it to anyone who reaches it */
    public OperatorEndpoints(ConnectionTracker tracker, ServerMetrics metrics, String metricsToken) {
        this.tracker = tracker;
        this.metrics = metrics;
        this.metricsToken = metricsToken == null ? null : metricsToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Answers the request when its path is one of these endpoints and returns true; false otherwise. */
    boolean answer(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive) {
        switch (path) {
            case "/health" -> {
                if (!HttpMethod.GET.equals(req.method()) && !HttpMethod.HEAD.equals(req.method())) {
                    HttpResponses.methodNotAllowed(ctx, keepAlive, "GET");
                } else if (tracker.draining()) {
                    HttpResponses.send(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE, HttpResponses.JSON, "{\"status\":\"DRAINING\"}");
                } else {
                    HttpResponses.send(ctx, keepAlive, HttpResponseStatus.OK, HttpResponses.JSON, "{\"status\":\"UP\"}");
                }
                return true;
            }
            case "/metrics" -> {
                if (!metrics.enabled()) {
                    HttpResponses.error(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "metrics are switched off");
                } else if (!HttpMethod.GET.equals(req.method())) {
                    HttpResponses.methodNotAllowed(ctx, keepAlive, "GET");
                } else if (!authorized(req)) {
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED,
                            Unpooled.copiedBuffer("{\"error\":\"metrics need Authorization: Bearer <token>\"}", StandardCharsets.UTF_8));
                    response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON);
                    HttpResponses.send(ctx, keepAlive, response);
                } else {
                    HttpResponses.send(ctx, keepAlive, HttpResponseStatus.OK,
                            "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean authorized(FullHttpRequest req) {
        if (metricsToken == null) {
            return true;
        }
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, metricsToken);
    }
}
