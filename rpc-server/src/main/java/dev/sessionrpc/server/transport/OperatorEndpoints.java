package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health} and {@code /metrics}, for health checkers and Prometheus: served on the public
 * port, or alone on the management port when one is set, so that the public never sees them.
 * With a metrics token, {@code /metrics} needs {@code Authorization: Bearer <token>} (compared in
 * constant time); the metrics name every method and count every outcome, which is not for anyone.
 */
public final class OperatorEndpoints {

    private static final Logger log = LoggerFactory.getLogger(OperatorEndpoints.class);
    private static final String BEARER = "Bearer ";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String SCRAPER_THREAD = "rpc-metrics-scrape";
    /** One thread for the whole process, started at the first scrape. */
    private static final Executor SCRAPER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, SCRAPER_THREAD);
        t.setDaemon(true);
        return t;
    });

    private final ConnectionTracker tracker;
    private final ServerMetrics metrics;
    private final byte[] metricsToken;
    private CompletableFuture<String> scraping;

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
                    FullHttpResponse response = HttpResponses.errorResponse(HttpResponseStatus.UNAUTHORIZED,
                            "metrics need Authorization: Bearer <token>");
                    response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                    HttpResponses.send(ctx, keepAlive, response);
                } else {
                    sendScrape(ctx, keepAlive);
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Renders the metrics off the event loop (a scrape reads every meter, and gauges may take
     * locks), then answers on the loop. Reading pauses meanwhile, so that a pipelined request
     * behind it is answered after it, as {@link JsonRpcHttpHandler} does.
     */
    private void sendScrape(ChannelHandlerContext ctx, boolean keepAlive) {
        ctx.channel().config().setAutoRead(false);
        scrape().whenComplete((text, failure) -> ctx.executor().execute(() -> {
            try {
                if (!ctx.channel().isActive()) {
                    return;
                }
                if (failure != null) {
                    log.error("rendering /metrics failed", failure);
                    HttpResponses.error(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics could not be rendered");
                } else {
                    HttpResponses.send(ctx, keepAlive, HttpResponseStatus.OK, PROMETHEUS_TEXT, text);
                }
            } finally {
                ctx.channel().config().setAutoRead(true);
            }
        }));
    }

    /** The scrape under way, or a new one: scrapers that ask at the same time share one rendering. */
    private synchronized CompletableFuture<String> scrape() {
        if (scraping == null || scraping.isDone()) {
            scraping = CompletableFuture.supplyAsync(metrics::scrape, SCRAPER);
        }
        return scraping;
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
