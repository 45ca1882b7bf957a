package dev.sessionrpc.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.List;

/**
 * Netty's RFC 6455 frame decoder with two bounds on a message that has not arrived whole: it
 * must be complete within the message timeout of its first byte (else close 1008), and the
 * bytes it holds meanwhile (a partial frame, fragments waiting for the rest) come out of the
 * server-wide {@link BufferBudget} (when that is spent, close 1009). Close frames are passed on
 * unchecked: {@link JsonRpcFrameHandler} validates them, so that every bad close is answered
 * with 1002 (Netty's own check closes without a close frame and accepts codes past 4999).
 */
final class RpcWebSocketDecoder extends WebSocket13FrameDecoder {

    private final BufferBudget.Account held;
    private final ProgressTimer messageTimer;
    private ChannelHandlerContext ctx;
    private long fragmentBytes;
    private boolean fragmented;
    private boolean refused;

    RpcWebSocketDecoder(WebSocketDecoderConfig config, BufferBudget budget, Duration messageTimeout) {
        super(config);
        this.held = budget.account();
        this.messageTimer = new ProgressTimer(messageTimeout, this::timedOut);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf buffer) {
        // checked by JsonRpcFrameHandler, which answers any invalid close with 1002
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int before = out.size();
        super.decode(ctx, in, out);
        boolean produced = out.size() > before;
        if (produced) {
            count((WebSocketFrame) out.get(out.size() - 1));
        }
        // bytes left behind after a frame came out are decoded next, not held; without a frame they wait
        long holding = fragmentBytes + (produced ? 0 : in.readableBytes());
        if (holding == 0) {
            messageTimer.stop();
        } else {
            messageTimer.start(ctx);
        }
        if (!held.hold(holding)) {
            refuse(in, out, before);
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                    "the server holds too many unfinished messages; send it again later");
        }
    }

    /** Follows where the current message stands; control frames may come between fragments. */
    private void count(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            fragmented = !frame.isFinalFragment();
            fragmentBytes = fragmented ? frame.content().readableBytes() : 0;
            messageTimer.stop();
        } else if (frame instanceof ContinuationWebSocketFrame) {
            if (frame.isFinalFragment()) {
                fragmented = false;
                fragmentBytes = 0;
                messageTimer.stop();
            } else {
                fragmentBytes += frame.content().readableBytes();
            }
        } else if (!fragmented) {
            messageTimer.stop();
        }
    }

    private void refuse(ByteBuf in, List<Object> out, int from) {
        refused = true;
        in.skipBytes(in.readableBytes());
        while (out.size() > from) {
            ((WebSocketFrame) out.remove(out.size() - 1)).release();
        }
        messageTimer.stop();
        held.clear();
    }

    private void timedOut() {
        if (refused || !ctx.channel().isActive()) {
            return;
        }
        refused = true;
        held.clear();
        ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.POLICY_VIOLATION,
                "message not complete within " + messageTimer.timeout().toSeconds() + " s"));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        messageTimer.stop();
        held.clear();
        super.handlerRemoved0(ctx);
    }
}
