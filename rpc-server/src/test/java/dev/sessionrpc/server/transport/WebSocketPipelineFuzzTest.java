package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.EmbeddedSocketChannel;
import dev.sessionrpc.server.testing.ExampleMethods;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The WebSocket pipeline as a client reaches it: the real {@link RpcServerInitializer} on an
 * embedded socket channel, a real upgrade (so the handshaker inserts its frame decoder and encoder
 * with the initializer's decoder config, masked frames expected, protocol violations closed, UTF-8
 * validated), then raw wire bytes built from the fuzz data: frames with any FIN/RSV bits and opcode,
 * masked or not, 7-bit/16-bit/64-bit lengths, fragments, pings, pongs, closes with any code and
 * reason, valid and broken JSON-RPC, cut into chunks of any size.
 *
 * <p>Properties: no exception escapes the pipeline; while the channel stays open every message that
 * reached {@link JsonRpcFrameHandler} and owes a reply got exactly one (never more, even after a
 * close); every close frame the server writes carries a legal code; a close frame from the client
 * that follows only well-formed frames is answered with a close frame, and with 1002 when its code
 * is not one a peer may send; nothing leaks (checked per class by NettyLeakDetectionExtension).
 */
class WebSocketPipelineFuzzTest {

    private static final int MAX_MESSAGE_BYTES = 256; // small, so that 1009 and the 64-bit lengths are reachable
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonRpcCodec CODEC = new JsonRpcCodec();
    private static final ServerConfig CONFIG = ServerConfig.builder()
            .maxMessageBytes(MAX_MESSAGE_BYTES)
            .maxInFlightPerConnection(3)
            .build();
    private static final String UPGRADE = "GET /rpc HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static final String[] MESSAGES = {
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"subtrahend\":23,\"minuend\":42},\"id\":\"s\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1,2,3,4,5]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"foobar, \"params\":\"bar\",\"baz]",
        "{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]},{\"foo\":\"boo\"}]",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}]",
        "[]",
        "[1,2]",
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"h\u00e9llo \u263a\"],\"id\":null}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"boom\",\"id\":7}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"boom_later\",\"id\":8}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"unwritable\",\"id\":9}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":12345678901234567890}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.x\",\"id\":1.5}",
        "",
    };

    /** One frame as the model sees it: its bytes and what a conforming server must make of it. */
    private record WireFrame(byte[] bytes, boolean wellFormed, boolean close, Integer closeCode, boolean closeBodyValid) {
    }

    @FuzzTest(maxDuration = "10m")
    void rawFramesNeverLeaveARequestUnansweredOrAnIllegalCloseCode(FuzzedDataProvider data) {
        Dispatcher.Builder methods = Dispatcher.builder(ServerMetrics.disabled());
        new ExampleMethods().methods().forEach((name, handler) -> {
            if (!name.equals("slow")) { // its replies wait for the test: not an unanswered request of the server's
                methods.method(name, handler);
            }
        });
        JsonRpcProcessor processor = new JsonRpcProcessor(CODEC, methods.build(), ServerConfig.DEFAULT_REQUEST_TIMEOUT, ServerMetrics.disabled(), AccessLog.OFF);
        ConnectionTracker tracker = new ConnectionTracker(10, 10, ServerMetrics.disabled());
        EmbeddedSocketChannel ch = new EmbeddedSocketChannel(
                new RpcServerInitializer(CONFIG, processor, tracker, new OperatorEndpoints(tracker, ServerMetrics.disabled(), null)));
        try {
            run(ch, data);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static void run(EmbeddedSocketChannel ch, FuzzedDataProvider data) {
        ch.writeInbound(Unpooled.copiedBuffer(UPGRADE, StandardCharsets.US_ASCII));
        String head = drainText(ch);
        assertThat(head).startsWith("HTTP/1.1 101");
        assertThat(ch.pipeline().get(WebSocket08FrameDecoder.class)).as("the handshaker's frame decoder").isNotNull();
        ReplyProbe probe = new ReplyProbe();
        ch.pipeline().addBefore(RpcServerInitializer.WS_RPC, "fuzz-probe", probe);

        byte[] bytes;
        if (data.consumeBoolean()) {
            bytes = data.consumeRemainingAsBytes(); // literal mode: the input is the wire (hand-written seeds)
        } else {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            frames(data).forEach(f -> wire.writeBytes(f.bytes()));
            if (data.consumeBoolean()) {
                wire.writeBytes(data.consumeBytes(16)); // a torn or garbage tail
            }
            bytes = wire.toByteArray();
        }
        List<WireFrame> frames = model(bytes);

        ServerOutput out = new ServerOutput();
        int at = 0;
        while (at < bytes.length && ch.isOpen()) {
            int n = Math.min(bytes.length - at, data.remainingBytes() > 0 ? data.consumeInt(1, 300) : bytes.length);
            ch.writeInbound(Unpooled.copiedBuffer(bytes, at, n));
            at += n;
            ch.runPendingTasks();
            out.read(ch);
        }
        ch.runPendingTasks();
        out.read(ch);

        // exactly one reply per message owed one while open; never more than one
        assertThat(out.replies).as("replies (%s owed)", probe.owed).isLessThanOrEqualTo(probe.owed);
        if (ch.isOpen()) {
            assertThat(out.replies).as("replies while the channel stays open").isEqualTo(probe.owed);
        }

        Set<Integer> clientCodes = closeCodesSent(bytes);
        for (Integer code : out.closeCodes) {
            if (code != null) {
                assertThat(legal(code) || (code >= 1012 && code <= 1014 && clientCodes.contains(code)))
                        .as("close code %s written by the server", code).isTrue();
            }
        }

        // the model: a close after only well-formed frames must be answered with a close frame
        for (WireFrame f : frames) {
            if (!f.wellFormed()) {
                break;
            }
            if (f.close()) {
                assertThat(out.closeFrames).as("close frames answering the client's close %s", f.closeCode()).isPositive();
                Integer answer = out.closeCodes.get(0);
                if (!f.closeBodyValid()) {
                    assertThat(answer).as("answer to an invalid close (code %s)", f.closeCode()).isIn(1002, 1007);
                }
                break;
            }
        }
    }

    /** What the server may put in a close frame of its own: RFC 6455 §7.4, never 1005/1006/1015. */
    private static boolean legal(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
    }

    /** Whether a peer may send this code in a close frame (what the server must accept, else 1002). */
    private static boolean peerMaySend(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * Reads the client's bytes as a conforming server must: the well-formed frames up to the first
     * one that is not (unmasked, RSV set, unknown opcode, fragmented, over the limit, broken UTF-8,
     * non-minimal length); the model stops there, since what follows is the server's choice of
     * protocol error.
     */
    private static List<WireFrame> model(byte[] b) {
        List<WireFrame> frames = new ArrayList<>();
        int at = 0;
        while (b.length - at >= 2) {
            int b0 = b[at] & 0xff;
            int b1 = b[at + 1] & 0xff;
            boolean fin = (b0 & 0x80) != 0;
            int rsv = (b0 >> 4) & 0x7;
            int opcode = b0 & 0x0f;
            boolean masked = (b1 & 0x80) != 0;
            int len = b1 & 0x7f;
            int header = 2;
            if (len == 126) {
                if (b.length - at < 4) {
                    break;
                }
                len = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
                header = 4;
                if (len < 126) {
                    break; // not minimal
                }
            } else if (len == 127) {
                break; // nothing over 64 KiB is under the limit; the model leaves 64-bit lengths to the properties
            }
            if (!masked || b.length - at < header + 4 + len) {
                break;
            }
            byte[] payload = new byte[len];
            for (int i = 0; i < len; i++) {
                payload[i] = (byte) (b[at + header + 4 + i] ^ b[at + header + (i % 4)]);
            }
            boolean control = opcode >= 0x8;
            boolean known = opcode == 0x1 || opcode == 0x2 || opcode == 0x8 || opcode == 0x9 || opcode == 0xA;
            boolean wellFormed = known && rsv == 0 && fin && (!control || len <= 125) && len <= MAX_MESSAGE_BYTES
                    && (opcode != 0x1 || isUtf8(payload));
            if (!wellFormed) {
                break;
            }
            byte[] bytes = slice(b, at, at + header + 4 + len);
            if (opcode == 0x8) {
                Integer code = len >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : null;
                boolean valid = len == 0 || (len >= 2 && peerMaySend(code) && isUtf8(slice(payload, 2, len)));
                frames.add(new WireFrame(bytes, true, true, code, valid));
                break;
            }
            frames.add(new WireFrame(bytes, true, false, null, false));
            at += header + 4 + len;
        }
        return frames;
    }

    /**
     * The codes of every close frame on the wire, well-formed or not, after fragments too: what the
     * server may echo. The model above stops at the first frame it does not follow, so it cannot say.
     */
    private static Set<Integer> closeCodesSent(byte[] b) {
        Set<Integer> codes = new HashSet<>();
        int at = 0;
        while (b.length - at >= 2) {
            int opcode = b[at] & 0x0f;
            boolean masked = (b[at + 1] & 0x80) != 0;
            long len = b[at + 1] & 0x7f;
            int header = 2;
            if (len == 126 && b.length - at >= 4) {
                len = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
                header = 4;
            } else if (len == 127) {
                break; // past any limit: the server closes with its own code
            }
            int mask = masked ? 4 : 0;
            if (b.length - at < header + mask + len) {
                break;
            }
            if (opcode == 0x8 && len >= 2) {
                int p0 = b[at + header + mask] ^ (masked ? b[at + header] : 0);
                int p1 = b[at + header + mask + 1] ^ (masked ? b[at + header + 1] : 0);
                codes.add(((p0 & 0xff) << 8) | (p1 & 0xff));
            }
            at += header + mask + (int) len;
        }
        return codes;
    }

    // ------------------------------------------------------------------ frames from fuzz data

    private static List<WireFrame> frames(FuzzedDataProvider data) {
        List<WireFrame> frames = new ArrayList<>();
        int count = data.consumeInt(1, 12);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            switch (data.consumeInt(0, 9)) {
                case 0, 1 -> frames.add(frame(data, true, 0x1, message(data), true));
                case 2 -> frames.add(frame(data, true, 0x2, message(data), true));
                case 3 -> { // a fragmented message, maybe with a ping in between
                    byte[] m = message(data);
                    int cut = data.consumeInt(0, m.length);
                    frames.add(frame(data, false, data.consumeBoolean() ? 0x1 : 0x2, slice(m, 0, cut), true));
                    if (data.consumeBoolean()) {
                        frames.add(frame(data, true, 0x9, data.consumeBytes(8), true));
                    }
                    frames.add(frame(data, true, 0x0, slice(m, cut, m.length), true));
                }
                case 4 -> frames.add(frame(data, true, data.consumeBoolean() ? 0x9 : 0xA, data.consumeBytes(125), true));
                case 5, 6 -> frames.add(close(data));
                case 7 -> frames.add(text(data, data.consumeBytes(40))); // any bytes as text: broken UTF-8 and JSON
                default -> frames.add(raw(data));
            }
        }
        return frames;
    }

    private static byte[] message(FuzzedDataProvider data) {
        return MESSAGES[data.consumeInt(0, MESSAGES.length - 1)].getBytes(StandardCharsets.UTF_8);
    }

    private static WireFrame text(FuzzedDataProvider data, byte[] payload) {
        return frame(data, true, 0x1, payload, true);
    }

    private static WireFrame close(FuzzedDataProvider data) {
        byte[] body;
        int code;
        switch (data.consumeInt(0, 3)) {
            case 0 -> body = new byte[0];
            case 1 -> body = new byte[] {data.consumeByte()};
            default -> {
                int[] interesting = {1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1011, 1012, 1014, 1015, 1016,
                    2999, 3000, 4999, 5000, 0, 999, 65535, 32768};
                code = data.consumeBoolean() ? interesting[data.consumeInt(0, interesting.length - 1)]
                        : data.consumeInt(0, 65535);
                byte[] reason = data.consumeBoolean() ? "bye \u00e9".getBytes(StandardCharsets.UTF_8) : data.consumeBytes(20);
                body = new byte[2 + reason.length];
                body[0] = (byte) (code >> 8);
                body[1] = (byte) code;
                System.arraycopy(reason, 0, body, 2, reason.length);
            }
        }
        return frame(data, true, 0x8, body, true);
    }

    /** A frame with everything chosen by the fuzzer: bits, opcode, mask, length encoding. */
    private static WireFrame raw(FuzzedDataProvider data) {
        int b0 = data.consumeInt(0, 255);
        boolean masked = data.consumeInt(0, 3) != 0;
        byte[] payload = data.consumeBytes(data.consumeInt(0, 300));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        int form = data.consumeInt(0, 3);
        long declared = data.consumeBoolean() ? payload.length : data.consumeLong();
        if (form == 0 && payload.length < 126) {
            out.write((masked ? 0x80 : 0) | payload.length);
        } else if (form <= 1) {
            out.write((masked ? 0x80 : 0) | 126);
            out.write((int) (declared >> 8) & 0xff);
            out.write((int) declared & 0xff);
        } else {
            out.write((masked ? 0x80 : 0) | 127);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (declared >> s) & 0xff);
            }
        }
        if (masked) {
            out.writeBytes(data.consumeBytes(4));
        }
        out.writeBytes(payload);
        return new WireFrame(out.toByteArray(), false, false, null, false);
    }

    /** A frame the model knows: well-formed when masked with RSV 0 and within the limits. */
    private static WireFrame frame(FuzzedDataProvider data, boolean fin, int opcode, byte[] payload, boolean wellFormedIntent) {
        boolean masked = data.remainingBytes() == 0 || data.consumeInt(0, 15) != 0;
        int rsv = data.remainingBytes() > 0 && data.consumeInt(0, 15) == 0 ? data.consumeInt(1, 7) : 0;
        byte[] key = masked ? pad(data.consumeBytes(4), 4) : new byte[0];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int len = payload.length;
        if (len < 126) {
            out.write((masked ? 0x80 : 0) | len);
        } else if (len < 65536) {
            out.write((masked ? 0x80 : 0) | 126);
            out.write(len >> 8);
            out.write(len & 0xff);
        } else {
            out.write((masked ? 0x80 : 0) | 127);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) ((long) len >> s) & 0xff);
            }
        }
        out.writeBytes(key);
        for (int i = 0; i < len; i++) {
            out.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        return new WireFrame(out.toByteArray(), false, false, null, false);
    }

    private static byte[] slice(byte[] b, int from, int to) {
        byte[] s = new byte[to - from];
        System.arraycopy(b, from, s, 0, s.length);
        return s;
    }

    private static byte[] pad(byte[] b, int n) {
        byte[] p = new byte[n];
        System.arraycopy(b, 0, p, 0, Math.min(n, b.length));
        return p;
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ what the server writes

    private static String drainText(EmbeddedSocketChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            try {
                assertThat(o).isInstanceOf(ByteBuf.class);
                sb.append(((ByteBuf) o).toString(StandardCharsets.US_ASCII));
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return sb.toString();
    }

    /** A tiny parser of the server's frames: unmasked, FIN set, a reply is one text frame. */
    private static final class ServerOutput {
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int replies;
        int closeFrames;
        final List<Integer> closeCodes = new ArrayList<>();

        void read(EmbeddedSocketChannel ch) {
            for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
                try {
                    assertThat(o).as("outbound after the upgrade").isInstanceOf(ByteBuf.class);
                    ByteBuf buf = (ByteBuf) o;
                    byte[] b = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), b);
                    pending.writeBytes(b);
                } finally {
                    ReferenceCountUtil.release(o);
                }
            }
            parse();
        }

        private void parse() {
            byte[] b = pending.toByteArray();
            int at = 0;
            while (b.length - at >= 2) {
                int b0 = b[at] & 0xff;
                int b1 = b[at + 1] & 0xff;
                assertThat(b1 & 0x80).as("server frames are unmasked").isZero();
                assertThat(b0 & 0x70).as("server frames have RSV 0").isZero();
                long len = b1 & 0x7f;
                int header = 2;
                if (len == 126) {
                    if (b.length - at < 4) {
                        break;
                    }
                    len = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
                    header = 4;
                } else if (len == 127) {
                    if (b.length - at < 10) {
                        break;
                    }
                    len = ByteBuffer.wrap(b, at + 2, 8).getLong();
                    header = 10;
                }
                if (b.length - at - header < len) {
                    break;
                }
                byte[] payload = slice(b, at + header, at + header + (int) len);
                frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
                at += header + (int) len;
            }
            pending.reset();
            pending.write(b, at, b.length - at);
        }

        private void frame(int opcode, boolean fin, byte[] payload) {
            switch (opcode) {
                case 0x1 -> {
                    assertThat(fin).as("a reply is one frame").isTrue();
                    try {
                        assertThat(JSON.readTree(payload).isContainerNode()).as("a reply is an object or an array").isTrue();
                    } catch (java.io.IOException e) {
                        throw new AssertionError("reply is not JSON: " + new String(payload, StandardCharsets.UTF_8), e);
                    }
                    replies++;
                }
                case 0x8 -> {
                    closeFrames++;
                    assertThat(payload.length).as("close body").isNotEqualTo(1);
                    closeCodes.add(payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : null);
                }
                case 0x9, 0xA -> assertThat(payload.length).isLessThanOrEqualTo(125);
                default -> throw new AssertionError("server wrote opcode " + opcode);
            }
        }
    }

    /** Sits in front of JsonRpcFrameHandler and counts the messages that reach it and owe a reply. */
    private static final class ReplyProbe extends ChannelInboundHandlerAdapter {
        int owed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                ByteBuf content = ((io.netty.handler.codec.http.websocketx.WebSocketFrame) msg).content();
                byte[] b = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), b);
                DecodedMessage m = CODEC.decode(b);
                boolean owesReply = m.isFailure() || m.entries().stream()
                        .anyMatch(e -> e.invalid() != null || !e.request().isNotification());
                if (owesReply) {
                    owed++;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
