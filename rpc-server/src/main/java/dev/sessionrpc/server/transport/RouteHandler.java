package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.address.AddressGroups;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The front door for HTTP requests: answers {@code /health} and {@code /metrics} itself, refuses
 * what {@code /rpc} cannot take (wrong method 405, wrong content type 415, full house 503), and
 * passes a WebSocket upgrade (version 13 only, else 426) or a JSON-RPC POST on down the pipeline.
 * On {@code /rpc} it first judges the request's {@code Origin} ({@link AllowedOrigins}): a page
 * that is not allowed gets 403 before anything else, and an allowed page's CORS preflight is
 * answered here.
 */
@ChannelHandler.Sharable
public final class RouteHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String RPC_PATH = "/rpc";
    private static final String WEBSOCKET_VERSION = "13";
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/json-rpc", "application/jsonrequest");

    private final ConnectionTracker tracker;
    private final OperatorEndpoints operator;
    private final ClientAddresses clientAddresses;
    private final AddressGroups addressGroups;
    private final AllowedOrigins allowedOrigins;

    /** @param operator where {@code /health} and {@code /metrics} are answered; null when they live on the management port */
    public RouteHandler(ConnectionTracker tracker, OperatorEndpoints operator, ClientAddresses clientAddresses,
                        AddressGroups addressGroups, AllowedOrigins allowedOrigins) {
        super(FullHttpRequest.class, false);
        this.tracker = tracker;
        this.operator = operator;
        this.clientAddresses = clientAddresses;
        this.addressGroups = addressGroups;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean pass = false;
        try {
            pass = route(ctx, req);
        } finally {
            if (pass) {
                ctx.fireChannelRead(req);
            } else {
                req.release();
            }
        }
    }

    /** The request target's decoded path, or null when its percent-escapes are malformed. */
    static String pathOf(HttpRequest req) {
        try {
            return new QueryStringDecoder(req.uri()).path();
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** Answers the request, or returns true to hand it on. */
    private boolean route(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (req.decoderResult().isFailure()) {
            HttpResponses.error(ctx, false, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            return false;
        }
        String path = pathOf(req);
        if (path == null) {
            ClientFaultLog.SHARED.log(ctx.channel(), "HTTP 400", "malformed request target");
            HttpResponses.error(ctx, false, HttpResponseStatus.BAD_REQUEST, "malformed request target");
            return false;
        }
        if (operator != null && operator.answer(ctx, req, path, keepAlive)) {
            return false;
        }
        switch (path) {
            case RPC_PATH, RPC_PATH + "/" -> {
                return routeRpc(ctx, req, keepAlive);
            }
            default -> {
                HttpResponses.error(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "no such path; JSON-RPC is served at /rpc");
                return false;
            }
        }
    }

    private boolean routeRpc(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        AllowedOrigins.Verdict origin = allowedOrigins.check(req.headers());
        if (origin == AllowedOrigins.Verdict.REFUSED) {
            ClientFaultLog.SHARED.log(ctx.channel(), "refused with 403", "Origin not allowed: "
                    + abbreviate(String.join(", ", req.headers().getAll(HttpHeaderNames.ORIGIN))));
            refuse(ctx, keepAlive && !isWebSocketUpgrade(req), HttpResponseStatus.FORBIDDEN,
                    "this Origin may not call /rpc; see --allowed-origins");
            return false;
        }
        if (origin == AllowedOrigins.Verdict.ALLOWED && HttpMethod.OPTIONS.equals(req.method())
                && req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            preflight(ctx, req, keepAlive);
            return false;
        }
        if (isWebSocketUpgrade(req)) {
            if (!WEBSOCKET_VERSION.equals(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
                // RFC 6455 §4.4: only version 13; the older drafts have no masking and no UTF-8 rules
                FullHttpResponse response = HttpResponses.errorResponse(HttpResponseStatus.UPGRADE_REQUIRED,
                        "only WebSocket version 13 is served");
                response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WEBSOCKET_VERSION);
                AllowedOrigins.varyOnOrigin(response.headers());
                HttpResponses.send(ctx, false, response);
                return false;
            }
            if (tracker.draining()) {
                refuse(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE, "server is shutting down");
                return false;
            }
            InetAddress client = clientAddresses.resolve(ctx.channel(), req.headers());
            // behind a trusted proxy the client is known only now; a direct peer was counted on accept
            if (!tracker.tryClaimAddress(ctx.channel(), addressGroups.groupOf(client))) {
                refuse(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "too many connections from your address; close some first");
                return false;
            }
            ctx.channel().attr(ClientAddresses.CLIENT).set(client);
            return true;
        }
        if (!HttpMethod.POST.equals(req.method())) {
            FullHttpResponse response = HttpResponses.methodNotAllowedResponse("POST");
            AllowedOrigins.varyOnOrigin(response.headers());
            HttpResponses.send(ctx, keepAlive, response);
            return false;
        }
        CharSequence mimeType = HttpUtil.getMimeType(req);
        String contentType = mimeType == null ? "" : mimeType.toString().toLowerCase(Locale.ROOT);
        if (!JSON_TYPES.contains(contentType)) {
            refuse(ctx, keepAlive, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, application/json-rpc or application/jsonrequest");
            return false;
        }
        if (tracker.draining()) {
            refuse(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE, "server is shutting down");
            return false;
        }
        return true;
    }

    /**
     * An allowed page's CORS preflight: POST with a JSON content type may follow. A preflight for
     * any other method is refused with 403, so that the page learns at once that it cannot work.
     */
    private static void preflight(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        if (!HttpMethod.POST.name().equals(req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD).strip())) {
            refuse(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, "only POST may be sent to /rpc from a page");
            return;
        }
        FullHttpResponse response = HttpResponses.response(HttpResponseStatus.NO_CONTENT, null, Unpooled.EMPTY_BUFFER);
        AllowedOrigins.corsHeaders(response.headers(), req.headers().get(HttpHeaderNames.ORIGIN));
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, HttpMethod.POST.name());
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, AllowedOrigins.PREFLIGHT_MAX_AGE_SECONDS);
        HttpResponses.send(ctx, keepAlive, response);
    }

    /** An error answer on {@code /rpc}, which varies with the request's origin like every answer there. */
    private static void refuse(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String message) {
        FullHttpResponse response = HttpResponses.errorResponse(status, message);
        AllowedOrigins.varyOnOrigin(response.headers());
        HttpResponses.send(ctx, keepAlive, response);
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    private static boolean isWebSocketUpgrade(FullHttpRequest req) {
        return HttpMethod.GET.equals(req.method())
                && req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }


    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
