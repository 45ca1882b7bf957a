package dev.sessionrpc.server.transport;

import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.dispatch.RequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over a WebSocket: each aggregated text or binary message is one request or batch,
 * answered with one text frame. Messages are executed concurrently and may be answered out of
 * order. Past the in-flight limit, or while the socket is not writable, reading stops until
 * replies drain; nothing is dropped, and no frame restarts reading ({@link ReadGate}): pings are
 * answered only while the socket takes writes. A client that leaves more than the pending-write
 * limit of replies unread for longer than its timeout is closed with 1008. Also answers close
 * frames (1002 for an invalid one), pings an idle peer and closes a silent one (1001), and turns
 * the decoders' verdicts into close codes (1002, 1007, 1008, 1009).
 */
public final class JsonRpcFrameHandler extends ChannelInboundHandlerAdapter {

    private static final Logger connections = ClientFaultLog.CONNECTIONS;
    private static final Logger log = LoggerFactory.getLogger(JsonRpcFrameHandler.class);
    /** How long a close frame may take to leave before the socket is closed without it. */
    private static final long CLOSE_FRAME_GRACE_MILLIS = 2_000;
    /** The code RFC 6455 gives a close frame that carries none. */
    private static final int NO_STATUS = 1005;

    private final JsonRpcProcessor processor;
    private final ConnectionTracker tracker;
    private final Limits limits;
    private final ProgressTimer slowReader;

    private ChannelHandlerContext ctx;
    private InetAddress client;
    private int inFlight;
    private long requests;
    private long pendingWriteBytes;
    private boolean inReadLoop;
    private boolean flushPending;

    /** What one WebSocket may take: requests in flight, unread reply bytes, quiet time. */
    public record Limits(int maxInFlight, int maxPendingWriteBytes, Duration pendingWriteTimeout,
                         Duration idleTimeout, Duration pingInterval) {
        public static Limits of(ServerConfig config) {
            return new Limits(config.maxInFlightPerConnection(), config.maxPendingWriteBytes(),
                    config.pendingWriteTimeout(), config.idleTimeout(), config.pingInterval());
        }
    }

    public JsonRpcFrameHandler(JsonRpcProcessor processor, ConnectionTracker tracker, Limits limits) {
        this.processor = processor;
        this.tracker = tracker;
        this.limits = limits;
        this.slowReader = new ProgressTimer(limits.pendingWriteTimeout(), this::slowReaderTimedOut);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        slowReader.stop();
    }

    private void slowReaderTimedOut() {
        ClientFaultLog.SHARED.log(ctx.channel(), "closed with 1008",
                pendingWriteBytes + " reply bytes unread for " + limits.pendingWriteTimeout().toSeconds() + " s");
        close(ctx.channel(), WebSocketCloseStatus.POLICY_VIOLATION, "replies not read");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            upgraded(ctx);
        } else if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                close(ctx.channel(), ConnectionLog.Closer.IDLE, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
                        "idle for " + limits.idleTimeout().toSeconds() + " s");
            } else if (idle.state() == IdleState.WRITER_IDLE && ctx.channel().isWritable()) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void upgraded(ChannelHandlerContext ctx) {
        var pipeline = ctx.pipeline();
        for (String name : RpcServerInitializer.HTTP_ONLY) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
        // messages already decoded from the last read wait here while a limit holds, instead of
        // all being executed past the in-flight cap
        pipeline.addBefore(ctx.name(), RpcServerInitializer.WS_FLOW_CONTROL, new FlowControlHandler());
        pipeline.addFirst(RpcServerInitializer.WS_IDLE, new IdleStateHandler(
                limits.idleTimeout().toMillis(), limits.pingInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
        InetAddress client = ctx.channel().attr(ClientAddresses.CLIENT).get();
        if (client == null) {
            client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        }
        this.client = client;
        tracker.webSocketOpened(ctx.channel());
        ConnectionLog.about(ctx.channel(), connections.atInfo())
                .log("{} opened a WebSocket (client {})", ConnectionLog.name(ctx.channel()), client.getHostAddress());
        ConnectionLog.logWhenClosed(ctx.channel(), connections, System.nanoTime(), () -> requests);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (client == null) {
            if (msg instanceof WebSocketFrame || msg instanceof ByteBuf) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        inReadLoop = true;
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
            execute(ctx, (WebSocketFrame) msg);
        } else if (msg instanceof PingWebSocketFrame ping) {
            pong(ctx, ping);
        } else if (msg instanceof CloseWebSocketFrame closeFrame) {
            closeRequested(ctx, closeFrame);
        } else {
            // pongs (their arrival already counted as activity); bytes the HTTP codec let go of late
            boolean early = msg instanceof ByteBuf bytes && bytes.isReadable();
            ReferenceCountUtil.release(msg);
            if (early) {
                close(ctx.channel(), WebSocketCloseStatus.PROTOCOL_ERROR, "frames sent before the handshake completed");
            }
        }
        if (!ctx.channel().config().isAutoRead()) {
            // paused: the flow-control handler holds the rest of this read and does not say it is complete
            endOfRead(ctx);
        }
    }

    private void execute(ChannelHandlerContext ctx, WebSocketFrame frame) {
        DecodedMessage message;
        ByteBuf content = frame.content();
        try {
            message = processor.decode(content);
        } finally {
            content.release();
        }
        int weight = JsonRpcProcessor.weight(message);
        requests += weight;
        inFlight += weight;
        tracker.requestsStarted(weight);
        updateReading(ctx);
        RequestContext context = processor.context(client, RequestContext.Transport.WEBSOCKET, ctx.executor());
        long start = processor.accessLog().start();
        processor.execute(message, context, RequestRateLimiter.of(ctx.channel())).whenComplete((reply, failure) -> {
            processor.accessLog().answered(ctx.channel(), "ws", message, reply, start);
            if (ctx.executor().inEventLoop()) {
                reply(ctx, reply, failure, weight);
            } else {
                ctx.executor().execute(() -> reply(ctx, reply, failure, weight));
            }
        });
    }

    /** Answers a ping only while the socket takes writes: a client that does not read gets no pongs piling up. */
    private void pong(ChannelHandlerContext ctx, PingWebSocketFrame ping) {
        if (!ctx.channel().isWritable()) {
            ping.release();
            return;
        }
        PongWebSocketFrame pong = new PongWebSocketFrame(ping.content());
        if (inReadLoop) {
            ctx.write(pong);
            flushPending = true;
        } else {
            ctx.writeAndFlush(pong);
        }
    }

    /** RFC 6455 §7.4: a valid close is echoed, anything else is answered 1002; then the socket closes. */
    private void closeRequested(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
        ByteBuf body = frame.content();
        try {
            if (!body.isReadable()) {
                ConnectionLog.closing(ctx.channel(), ConnectionLog.Closer.CLIENT, NO_STATUS, "");
                closeWith(ctx.channel(), new CloseWebSocketFrame());
                return;
            }
            int code = body.readableBytes() >= 2 ? body.getUnsignedShort(body.readerIndex()) : -1;
            if (!isValidCloseCode(code) || !isUtf8(body, body.readerIndex() + 2, body.readableBytes() - 2)) {
                ClientFaultLog.SHARED.log(ctx.channel(), "closed with 1002",
                        "invalid close frame (code " + code + ")");
                close(ctx.channel(), WebSocketCloseStatus.PROTOCOL_ERROR, "invalid close frame");
                return;
            }
            ConnectionLog.closing(ctx.channel(), ConnectionLog.Closer.CLIENT, code,
                    body.toString(body.readerIndex() + 2, body.readableBytes() - 2, StandardCharsets.UTF_8));
            closeWith(ctx.channel(), new CloseWebSocketFrame(code, null));
        } finally {
            frame.release();
        }
    }

    /** The codes a peer may send (RFC 6455 §7.4.1 and the IANA registry); 1005, 1006 and 1015 never travel. */
    static boolean isValidCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private static boolean isUtf8(ByteBuf buf, int index, int length) {
        return length <= 0 || ByteBufUtil.isText(buf, index, length, StandardCharsets.UTF_8);
    }

    private void reply(ChannelHandlerContext ctx, JsonRpcProcessor.Reply reply, Throwable failure, int weight) {
        boolean handedOver = false;
        try {
            if (failure != null) {
                log.error("unexpected failure while executing a message from {}", ConnectionLog.name(ctx.channel()), failure);
            }
            if (reply == null || failure != null || !ctx.channel().isActive()) {
                return;
            }
            ByteBuf encoded = processor.encode(reply, ctx.alloc());
            int size = encoded.readableBytes();
            TextWebSocketFrame frame = new TextWebSocketFrame(encoded);
            ChannelFuture written;
            if (inReadLoop) {
                written = ctx.write(frame);
                flushPending = true;
            } else {
                written = ctx.writeAndFlush(frame);
            }
            handedOver = true;
            pendingWrite(ctx, size);
            written.addListener(f -> {
                pendingWrite(ctx, -size);
                finished(ctx, weight);
            });
        } catch (Throwable t) {
            // an allocation that failed (direct memory spent) or an encoder fault: the request
            // cannot be answered, but its place in flight is given back and the socket told why
            log.error("could not answer a message from {}", ConnectionLog.name(ctx.channel()), t);
            close(ctx.channel(), WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "internal error");
        } finally {
            if (!handedOver) {
                finished(ctx, weight);
            }
        }
    }

    /** Counts reply bytes written but not yet taken by the socket; too many for too long closes it. */
    private void pendingWrite(ChannelHandlerContext ctx, long delta) {
        pendingWriteBytes += delta;
        if (pendingWriteBytes <= limits.maxPendingWriteBytes()) {
            slowReader.stop();
        } else if (!slowReader.running()) {
            slowReader.start(ctx);
        }
    }

    private void finished(ChannelHandlerContext ctx, int weight) {
        inFlight -= weight;
        tracker.requestsFinished(weight);
        updateReading(ctx);
    }

    /** Reads while the connection is under every limit; stops otherwise. */
    private void updateReading(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        boolean read = inFlight < limits.maxInFlight() && ch.isWritable() && !tracker.draining();
        if (ch.config().isAutoRead() != read) {
            ch.config().setAutoRead(read);
            if (read) {
                // the flow-control handler hands what it held to this handler within setAutoRead
                // and ends that read without a channelReadComplete: send what it was answered with
                endOfRead(ctx);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endOfRead(ctx);
        ctx.fireChannelReadComplete();
    }

    /** Replies written during a read go out together at its end. */
    private void endOfRead(ChannelHandlerContext ctx) {
        inReadLoop = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (client != null) {
            updateReading(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String peer = ConnectionLog.name(ctx.channel());
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // the peer went away (mid-message, or with a reset): nothing to answer, nobody's fault here
            connections.debug("{} gone: {}", peer, cause.toString());
            ctx.close();
        } else if (client == null) {
            log.warn("{} closed after an unexpected error before upgrading", peer, cause);
            ctx.close();
        } else if (cause instanceof CorruptedWebSocketFrameException broken) {
            WebSocketCloseStatus status = broken.closeStatus();
            ClientFaultLog.SHARED.log(ctx.channel(), "closed with " + status.code(), broken.getMessage());
            close(ctx.channel(), status, status.reasonText());
        } else if (cause instanceof TooLongFrameException) {
            ClientFaultLog.SHARED.log(ctx.channel(), "closed with 1009", "message larger than the limit");
            close(ctx.channel(), WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big");
        } else {
            log.warn("{} closed after an unexpected error", peer, cause);
            close(ctx.channel(), WebSocketCloseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    /**
     * Sends a close frame and closes the socket once it is out, or after a short grace if it never
     * leaves. A close for a limit (1008, 1009) is the limit's doing, any other the server's.
     */
    static void close(Channel ch, WebSocketCloseStatus status, String reason) {
        int code = status.code();
        close(ch, code == 1008 || code == 1009 ? ConnectionLog.Closer.LIMIT : ConnectionLog.Closer.SERVER, status, reason);
    }

    static void close(Channel ch, ConnectionLog.Closer by, WebSocketCloseStatus status, String reason) {
        ConnectionLog.closing(ch, by, status.code(), reason);
        closeWith(ch, new CloseWebSocketFrame(status, reason));
    }

    private static void closeWith(Channel ch, CloseWebSocketFrame frame) {
        if (!ch.isActive()) {
            frame.release();
            return;
        }
        ch.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        ch.eventLoop().schedule(() -> ch.close(), CLOSE_FRAME_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
