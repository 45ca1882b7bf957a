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

    /** @param operator where {@code /health} and {@code /metrics} are answered; null when they live on the management port */
    public RouteHandler(ConnectionTracker tracker, OperatorEndpoints operator, ClientAddresses clientAddresses,
                        AddressGroups addressGroups) {
        super(FullHttpRequest.class, false);
        this.tracker = tracker;
        this.operator = operator;
        this.clientAddresses = clientAddresses;
        this.addressGroups = addressGroups;
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
            ClientFaultLog.SHARED.log(ctx.channel().remoteAddress(), "HTTP 400", "malformed request target");
            HttpResponses.error(ctx, false, HttpResponseStatus.BAD_REQUEST, "malformed request target");
            return false;
        }
        if (operator != null && operator.answer(ctx, req, path, keepAlive)) {
            return false;
        }
        switch (path) {
            case RPC_PATH -> {
                return routeRpc(ctx, req, keepAlive);
            }
            default -> {
                HttpResponses.error(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "no such path; JSON-RPC is served at /rpc");
                return false;
            }
        }
    }

    private boolean routeRpc(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        if (isWebSocketUpgrade(req)) {
            if (!WEBSOCKET_VERSION.equals(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
                // RFC 6455 §4.4: only version 13; the older drafts have no masking and no UTF-8 rules
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UPGRADE_REQUIRED,
                        Unpooled.copiedBuffer("{\"error\":\"only WebSocket version 13 is served\"}", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WEBSOCKET_VERSION);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON);
                HttpResponses.send(ctx, false, response);
                return false;
            }
            if (tracker.draining()) {
                HttpResponses.error(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE, "server is shutting down");
                return false;
            }
            InetAddress client = clientAddresses.resolve(ctx.channel(), req.headers());
            // behind a trusted proxy the client is known only now; a direct peer was counted on accept
            if (!tracker.tryClaimAddress(ctx.channel(), addressGroups.groupOf(client))) {
                HttpResponses.error(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "too many connections from your address; close some first");
                return false;
            }
            ctx.channel().attr(ClientAddresses.CLIENT).set(client);
            return true;
        }
        if (!HttpMethod.POST.equals(req.method())) {
            HttpResponses.methodNotAllowed(ctx, keepAlive, "POST");
            return false;
        }
        CharSequence mimeType = HttpUtil.getMimeType(req);
        String contentType = mimeType == null ? "" : mimeType.toString().toLowerCase(Locale.ROOT);
        if (!JSON_TYPES.contains(contentType)) {
            HttpResponses.error(ctx, keepAlive, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, application/json-rpc or application/jsonrequest");
            return false;
        }
        if (tracker.draining()) {
            HttpResponses.error(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE, "server is shutting down");
            return false;
        }
        return true;
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
