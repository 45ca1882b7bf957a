package dev.sessionrpc.server.transport;

import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.server.dispatch.RequestContext;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.buffer.Unpooled;

/**
 * JSON-RPC over {@code POST /rpc}: one request or batch per body, answered {@code 200} with the
 * reply or {@code 204} when only notifications came. One request is processed at a time per
 * connection: reading pauses meanwhile, and the pipeline's flow-control handler holds back
 * requests that were already decoded, so pipelined HTTP requests are answered in order.
 * Anything that is not a POST is handed on (the WebSocket upgrade). {@link RouteHandler} has
 * refused pages whose origin is not allowed, so a POST carrying an {@code Origin} is answered with
 * that origin in {@code Access-Control-Allow-Origin}, and every answer varies on {@code Origin}.
 */
@ChannelHandler.Sharable
public final class JsonRpcHttpHandler extends ChannelInboundHandlerAdapter {

    private final JsonRpcProcessor processor;
    private final ConnectionTracker tracker;
    private final ClientAddresses clientAddresses;

    public JsonRpcHttpHandler(JsonRpcProcessor processor, ConnectionTracker tracker, ClientAddresses clientAddresses) {
        this.processor = processor;
        this.tracker = tracker;
        this.clientAddresses = clientAddresses;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !HttpMethod.POST.equals(req.method())) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive;
        String origin;
        RequestContext context;
        DecodedMessage message;
        try {
            keepAlive = HttpUtil.isKeepAlive(req);
            origin = req.headers().get(HttpHeaderNames.ORIGIN);
            context = processor.context(clientAddresses.resolve(ctx.channel(), req.headers()),
                    RequestContext.Transport.HTTP, ctx.executor());
            message = processor.decode(req.content());
        } finally {
            req.release();
        }
        int weight = JsonRpcProcessor.weight(message);
        tracker.requestsStarted(weight);
        ctx.channel().config().setAutoRead(false);
        long start = processor.accessLog().start();
        processor.execute(message, context, RequestRateLimiter.of(ctx.channel())).whenComplete((reply, failure) -> {
            processor.accessLog().answered(ctx.channel(), "http", message, reply, start);
            if (ctx.executor().inEventLoop()) {
                respond(ctx, keepAlive, origin, reply, failure, weight);
            } else {
                ctx.executor().execute(() -> respond(ctx, keepAlive, origin, reply, failure, weight));
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, String origin, JsonRpcProcessor.Reply reply,
                         Throwable failure, int weight) {
        try {
            if (!ctx.channel().isActive()) {
                return;
            }
            FullHttpResponse response;
            if (failure != null) {
                keepAlive = false;
                response = HttpResponses.errorResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal server error");
            } else if (reply == null) {
                response = HttpResponses.response(HttpResponseStatus.NO_CONTENT, null, Unpooled.EMPTY_BUFFER);
            } else {
                response = HttpResponses.response(HttpResponseStatus.OK, HttpResponses.JSON, processor.encode(reply, ctx.alloc()));
            }
            AllowedOrigins.corsHeaders(response.headers(), origin);
            HttpResponses.send(ctx, keepAlive, response);
        } finally {
            tracker.requestsFinished(weight);
            ctx.channel().config().setAutoRead(true);
        }
    }
}
