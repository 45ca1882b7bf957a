package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The frame decoder's bounds on unfinished messages, fed wire bytes on an {@link EmbeddedChannel}:
 * the message timeout (1008) and the server-wide budget of buffered bytes (1009).
 */
class RpcWebSocketDecoderTest {

    private static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int PING = 0x9;

    private final BufferBudget budget = new BufferBudget(1_000);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** A connection's decoder with a sink that records frames and the decoder's verdicts. */
    private final class Connection {
        final EmbeddedChannel ch;
        final List<String> messages = new ArrayList<>();
        final List<Integer> closeCodes = new ArrayList<>();

        Connection() {
            WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(10_000).closeOnProtocolViolation(false).build();
            ch = new EmbeddedChannel(new RpcWebSocketDecoder(config, budget, MESSAGE_TIMEOUT),
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            messages.add(((WebSocketFrame) msg).content().toString(StandardCharsets.UTF_8));
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            closeCodes.add(((CorruptedWebSocketFrameException) cause).closeStatus().code());
                        }
                    });
            ch.freezeTime();
            channels.add(ch);
        }

        void send(byte[] bytes) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        }

        void after(Duration d) {
            ch.advanceTimeBy(d.toMillis(), TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
    }

    /** One masked frame as a client sends it. */
    private static byte[] frame(int opcode, boolean fin, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        }
        byte[] mask = {1, 2, 3, 4};
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }

    private static byte[] head(byte[] frame, int n) {
        return java.util.Arrays.copyOf(frame, n);
    }

    private static byte[] tail(byte[] frame, int from) {
        return java.util.Arrays.copyOfRange(frame, from, frame.length);
    }

    @Test
    void aFragmentedMessageNotFinishedInTimeIsAPolicyViolation() {
        Connection c = new Connection();
        c.send(frame(TEXT, false, "{\"jsonrpc\":"));
        c.after(MESSAGE_TIMEOUT.minusMillis(1));
        // pings and more fragments do not buy time
        c.send(frame(PING, true, "still here"));
        c.send(frame(CONTINUATION, false, "\"2.0\""));
        assertThat(c.closeCodes).isEmpty();
        c.after(Duration.ofMillis(1));
        assertThat(c.closeCodes).containsExactly(1008);
        assertThat(budget.used()).as("given back").isZero();
    }

    @Test
    void aFrameThatArrivesByteByByteMustStillBeWholeInTime() {
        Connection c = new Connection();
        byte[] f = frame(TEXT, true, "x".repeat(200));
        c.send(head(f, 20));
        for (int i = 0; i < 20; i++) {
            c.after(Duration.ofSeconds(1));
            c.send(new byte[] {f[20 + i]});
        }
        c.after(MESSAGE_TIMEOUT.minusSeconds(20));
        assertThat(c.closeCodes).containsExactly(1008);
        assertThat(c.messages).isEmpty();
    }

    @Test
    void aMessageFinishedInTimeStopsTheClock() {
        Connection c = new Connection();
        byte[] f = frame(TEXT, true, "hello");
        c.send(head(f, 4));
        c.after(MESSAGE_TIMEOUT.minusSeconds(1));
        c.send(tail(f, 4));
        c.after(MESSAGE_TIMEOUT.multipliedBy(3));
        assertThat(c.closeCodes).isEmpty();
        assertThat(c.messages).containsExactly("hello");
        assertThat(budget.used()).isZero();
    }

    @Test
    void bytesHeldByUnfinishedMessagesComeOutOfOneBudgetForAllConnections() {
        Connection first = new Connection();
        Connection second = new Connection();
        byte[] big = frame(TEXT, true, "a".repeat(700));
        first.send(head(big, 600));
        // the 8 header bytes are read at once; the payload waits
        assertThat(budget.used()).isEqualTo(592);
        byte[] other = frame(TEXT, true, "b".repeat(700));
        second.send(head(other, 500));
        assertThat(second.closeCodes).as("refused: the budget is spent").containsExactly(1009);
        assertThat(budget.used()).isEqualTo(592);
        first.send(tail(big, 600));
        assertThat(first.messages).containsExactly("a".repeat(700));
        assertThat(budget.used()).isZero();
        Connection third = new Connection();
        third.send(head(other, 500));
        assertThat(third.closeCodes).isEmpty();
        assertThat(budget.used()).isEqualTo(492);
        third.ch.close();
        assertThat(budget.used()).as("a closed connection gives its share back").isZero();
    }

    @Test
    void fragmentsWaitingForTheirMessageCountAgainstTheBudget() {
        Connection c = new Connection();
        c.send(frame(TEXT, false, "f".repeat(400)));
        c.send(frame(CONTINUATION, false, "g".repeat(400)));
        assertThat(budget.used()).isEqualTo(800);
        c.send(frame(CONTINUATION, false, "h".repeat(400)));
        assertThat(c.closeCodes).containsExactly(1009);
        assertThat(budget.used()).isZero();
    }

    @Test
    void completeMessagesHoldNothing() {
        Connection c = new Connection();
        ByteBuf many = Unpooled.buffer();
        for (int i = 0; i < 50; i++) {
            many.writeBytes(frame(TEXT, true, "m" + i + "x".repeat(100)));
        }
        c.ch.writeInbound(many);
        assertThat(c.messages).hasSize(50);
        assertThat(budget.used()).isZero();
        assertThat(c.closeCodes).isEmpty();
    }
}
