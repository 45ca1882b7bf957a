package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.ExampleMethods;
import dev.sessionrpc.server.testing.LogCapture;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket half of the pipeline after the upgrade (frame aggregator and JSON-RPC frame
 * handler) on an {@link EmbeddedChannel}: framing, the size limit, backpressure and idle handling.
 */
class JsonRpcFrameHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_BYTES = 200;
    private static final int MAX_IN_FLIGHT = 2;
    private static final Duration IDLE = Duration.ofMinutes(90); // long: the real timer must not fire during a test
    private static final Duration PING = Duration.ofMinutes(30);
    private static final int MAX_PENDING_WRITE_BYTES = 150;
    private static final Duration PENDING_WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonRpcFrameHandler.Limits LIMITS = new JsonRpcFrameHandler.Limits(
            MAX_IN_FLIGHT, MAX_PENDING_WRITE_BYTES, PENDING_WRITE_TIMEOUT, IDLE, PING);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ExampleMethods examples = new ExampleMethods();
    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final ConnectionTracker tracker = new ConnectionTracker(10, 10, ServerMetrics.disabled());
    private final EmbeddedChannel ch;
    /** Sits at the head: counts the reads that would reach the socket, and can hold writes as a full socket does. */
    private final Wire wire = new Wire();

    JsonRpcFrameHandlerTest() {
        Dispatcher.Builder methods = Dispatcher.builder(ServerMetrics.disabled());
        examples.registerAll(methods::method);
        JsonRpcProcessor processor = new JsonRpcProcessor(new JsonRpcCodec(), methods.build(), REQUEST_TIMEOUT, metrics, AccessLog.OFF);
        ch = new EmbeddedChannel();
        ch.attr(ClientAddresses.CLIENT).set(InetAddress.getLoopbackAddress());
        ch.pipeline().addLast("wire", wire);
        ch.pipeline().addLast(RpcServerInitializer.READ_GATE, ReadGate.INSTANCE);
        // as the initializer leaves them before the upgrade; the upgrade must take them out
        ch.pipeline().addLast(RpcServerInitializer.HTTP_FLOW_CONTROL, new FlowControlHandler());
        ch.pipeline().addLast(RpcServerInitializer.HTTP_IDLE, new IdleStateHandler(0, 0, 90, TimeUnit.MINUTES));
        ch.pipeline().addLast(RpcServerInitializer.WS_AGGREGATOR, new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
        ch.pipeline().addLast(RpcServerInitializer.WS_RPC,
                new JsonRpcFrameHandler(processor, tracker, LIMITS));
        ch.pipeline().fireUserEventTriggered(
                new WebSocketServerProtocolHandler.HandshakeComplete("/rpc", EmptyHttpHeaders.INSTANCE, null));
    }

    @AfterEach
    void releaseEverything() {
        examples.pending().forEach(f -> f.complete("late"));
        wire.release();
        ch.finishAndReleaseAll();
    }

    /**
     * The socket end of the pipeline: counts {@code read()} calls that reach it and, when
     * stalled, keeps writes unwritten (promises pending) as a peer that does not read would.
     */
    private static final class Wire extends ChannelOutboundHandlerAdapter {
        int reads;
        boolean stalled;
        final List<Object> held = new ArrayList<>();

        @Override
        public void read(ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (stalled) {
                held.add(msg);
            } else {
                ctx.write(msg, promise);
            }
        }

        void release() {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
    }

    private static String request(String method, String id) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"id\":" + id + "}";
    }

    private void sendText(String text) {
        ch.writeInbound(new TextWebSocketFrame(text));
    }

    /** Every text frame written so far, as text; fails on any other outbound message. */
    private List<String> repliesSoFar() {
        List<String> replies = new ArrayList<>();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            try {
                assertThat(o).as("outbound message").isInstanceOf(TextWebSocketFrame.class);
                replies.add(((TextWebSocketFrame) o).text());
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return replies;
    }

    /** Flips the channel's writability as a full outbound buffer would; the event fires later. */
    private void setWritable(boolean writable) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        ch.runPendingTasks();
        assertThat(ch.isWritable()).isEqualTo(writable);
    }

    private static JsonNode tree(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void textFrameInGivesOneTextFrameOut() throws Exception {
        sendText(request("subtract", "1").replace("}", ",\"params\":[42,23]}"));
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(1);
        assertThat(tree(replies.get(0)).get("result").asInt()).isEqualTo(19);
    }

    @Test
    void binaryFrameWithUtf8JsonIsTreatedLikeTextAndAnsweredWithText() throws Exception {
        String request = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"h\u00e9llo \u263a\"],\"id\":\"b\"}";
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8)));
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(1);
        JsonNode reply = tree(replies.get(0));
        assertThat(reply.get("id").asText()).isEqualTo("b");
        assertThat(reply.get("result").get(0).asText()).isEqualTo("h\u00e9llo \u263a");
    }

    @Test
    void fragmentedTextMessageIsAggregatedIntoOneRequest() throws Exception {
        String request = "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"frag\"}";
        ch.writeInbound(new TextWebSocketFrame(false, 0, request.substring(0, 10)));
        assertThat(repliesSoFar()).isEmpty();
        ch.writeInbound(new ContinuationWebSocketFrame(false, 0, request.substring(10, 30)));
        assertThat(repliesSoFar()).isEmpty();
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, request.substring(30)));
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(1);
        assertThat(tree(replies.get(0)).get("result").asInt()).isEqualTo(7);
    }

    @Test
    void fragmentedMessageOverTheSizeLimitClosesWith1009() {
        String part = "x".repeat(MAX_MESSAGE_BYTES / 2 + 1);
        ch.writeInbound(new TextWebSocketFrame(false, 0, part));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, part));
        Object out = ch.readOutbound();
        try {
            assertThat(out).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) out).statusCode()).isEqualTo(1009);
        } finally {
            ReferenceCountUtil.release(out);
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void messageExactlyAtTheSizeLimitIsServed() throws Exception {
        String head = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":1,\"params\":[\"";
        String tail = "\"]}";
        String request = head + "y".repeat(MAX_MESSAGE_BYTES - head.length() - tail.length()) + tail;
        assertThat(request).hasSize(MAX_MESSAGE_BYTES);
        ch.writeInbound(new TextWebSocketFrame(false, 0, request.substring(0, 100)));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, request.substring(100)));
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(1);
        assertThat(tree(replies.get(0)).get("id").asInt()).isEqualTo(1);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void errorRepliesKeepTheSocketOpen() throws Exception {
        sendText("not json");
        sendText("[]");
        sendText(request("nope", "2"));
        List<String> replies = repliesSoFar();
        assertThat(replies).extracting(r -> tree(r).path("error").path("code").asInt())
                .containsExactly(-32700, -32600, -32601);
        assertThat(ch.isOpen()).isTrue();
        sendText(request("get_data", "3"));
        assertThat(repliesSoFar()).hasSize(1);
    }

    @Test
    void resultThatCannotBeWrittenIsAnsweredWithInternalServerError() throws Exception {
        sendText(request("unwritable", "1"));
        sendText("[" + request("get_data", "2") + "," + request("unwritable", "3") + "]");
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(2);
        JsonNode single = tree(replies.get(0));
        assertThat(single.path("error").path("code").asInt()).isEqualTo(16384);
        assertThat(single.get("id").asInt()).isEqualTo(1);
        JsonNode batch = tree(replies.get(1));
        assertThat(batch.get(0).get("result").get(0).asText()).isEqualTo("hello");
        assertThat(batch.get(1).path("error").path("code").asInt()).isEqualTo(16384);
        assertThat(batch.get(1).get("id").asInt()).isEqualTo(3);
        assertThat(replies.toString()).doesNotContain(ExampleMethods.SECRET_FAILURE);
        assertThat(tracker.inFlight()).isZero();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void notificationsGetNoFrame() {
        sendText("{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}");
        sendText("[{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[8]},{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}]");
        assertThat(repliesSoFar()).isEmpty();
        assertThat(examples.notifications()).hasSize(2);
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void readingStopsAtTheInFlightCapAndResumesWhenRepliesDrain() throws Exception {
        sendText(request("slow", "1"));
        assertThat(ch.config().isAutoRead()).isTrue();
        sendText(request("slow", "2"));
        assertThat(ch.config().isAutoRead()).as("at the cap").isFalse();
        sendText(request("slow", "3"));
        assertThat(tracker.inFlight()).as("the third waits, it does not run").isEqualTo(2);

        List<CompletableFuture<Object>> running = new ArrayList<>(examples.pending());
        examples.pending().clear();
        assertThat(running).hasSize(2);
        running.get(1).complete("two");
        ch.runPendingTasks();
        assertThat(repliesSoFar()).extracting(r -> tree(r).get("result").asText()).containsExactly("two");
        assertThat(examples.pending()).as("the third runs in the place freed").hasSize(1);
        assertThat(ch.config().isAutoRead()).as("at the cap again").isFalse();
        running.get(0).complete("one");
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).as("below the cap").isTrue();
        examples.pending().forEach(f -> f.complete("three"));
        examples.pending().clear();
        ch.runPendingTasks();

        assertThat(repliesSoFar()).extracting(r -> tree(r).get("result").asText()).containsExactly("one", "three");
        assertThat(tracker.inFlight()).isZero();
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void everyRequestIsAnsweredExactlyOnceUnderBackpressure() throws Exception {
        for (int i = 0; i < 10; i++) {
            sendText(request("slow", Integer.toString(i)));
        }
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(answerAllSlowRequests()).extracting(r -> tree(r).get("id").asInt())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(tracker.inFlight()).isZero();
    }

    /** Completes the running slow requests, and those that run in their place, until none is left; returns the replies. */
    private List<String> answerAllSlowRequests() {
        List<String> replies = new ArrayList<>();
        while (!examples.pending().isEmpty()) {
            assertThat(examples.pending()).as("never more running than the cap").hasSizeLessThanOrEqualTo(MAX_IN_FLIGHT);
            List<CompletableFuture<Object>> running = new ArrayList<>(examples.pending());
            examples.pending().clear();
            running.forEach(f -> f.complete("done"));
            ch.runPendingTasks();
            replies.addAll(repliesSoFar());
        }
        return replies;
    }

    @Test
    void batchCountsEachOfItsRequestsTowardsTheCap() {
        sendText("[" + request("slow", "1") + "," + request("slow", "2") + "]");
        assertThat(ch.config().isAutoRead()).isFalse();
        examples.pending().forEach(f -> f.complete("x"));
        examples.pending().clear();
        ch.runPendingTasks();
        assertThat(repliesSoFar()).hasSize(1);
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void readingStopsWhileTheSocketIsNotWritable() {
        setWritable(false);
        assertThat(ch.config().isAutoRead()).isFalse();
        setWritable(true);
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void repliesDrainingDoNotResumeReadingWhileNotWritable() {
        sendText(request("slow", "1"));
        sendText(request("slow", "2"));
        setWritable(false);
        examples.pending().forEach(f -> f.complete("x"));
        examples.pending().clear();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isFalse();
        setWritable(true);
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(repliesSoFar()).hasSize(2);
    }

    @Test
    void whileDrainingRepliesAreStillSentButReadingStaysPaused() {
        sendText(request("slow", "1"));
        sendText(request("slow", "2"));
        tracker.startDraining();
        examples.pending().forEach(f -> f.complete("x"));
        examples.pending().clear();
        ch.runPendingTasks();
        assertThat(repliesSoFar()).hasSize(2);
        assertThat(ch.config().isAutoRead()).isFalse();
    }

    @Test
    void upgradeRemovesTheHttpOnlyHandlers() {
        assertThat(ch.pipeline().get(RpcServerInitializer.HTTP_FLOW_CONTROL)).isNull();
        assertThat(ch.pipeline().get(RpcServerInitializer.HTTP_IDLE)).isNull();
    }

    @Test
    void repliesWrittenInOneReadPastTheCapAreFlushedAndReadingResumes() throws Exception {
        ch.writeInbound(new TextWebSocketFrame(request("get_data", "1")), new TextWebSocketFrame(request("get_data", "2")),
                new TextWebSocketFrame(request("get_data", "3")));
        assertThat(repliesSoFar()).extracting(r -> tree(r).get("id").asInt()).containsExactly(1, 2, 3);
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void upgradeInstallsAnIdleHandlerWithTheConfiguredTimes() {
        IdleStateHandler idle = (IdleStateHandler) ch.pipeline().get(RpcServerInitializer.WS_IDLE);
        assertThat(idle).isNotNull();
        assertThat(ch.pipeline().first()).isSameAs(idle);
        assertThat(idle.getReaderIdleTimeInMillis()).isEqualTo(IDLE.toMillis());
        assertThat(idle.getWriterIdleTimeInMillis()).isEqualTo(PING.toMillis());
    }

    @Test
    void writerIdleSendsAPing() {
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        Object out = ch.readOutbound();
        try {
            assertThat(out).isInstanceOf(PingWebSocketFrame.class);
        } finally {
            ReferenceCountUtil.release(out);
        }
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void readerIdleClosesWith1001() {
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        Object out = ch.readOutbound();
        try {
            assertThat(out).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) out).statusCode()).isEqualTo(1001);
        } finally {
            ReferenceCountUtil.release(out);
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void unexpectedPipelineErrorClosesWith1011() {
        ch.pipeline().fireExceptionCaught(new IllegalStateException("test: unexpected"));
        Object out = ch.readOutbound();
        try {
            assertThat(out).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) out).statusCode()).isEqualTo(1011);
        } finally {
            ReferenceCountUtil.release(out);
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void framesBeforeTheUpgradeAreDroppedWithoutReply() {
        EmbeddedChannel early = new EmbeddedChannel(new JsonRpcFrameHandler(
                new JsonRpcProcessor(new JsonRpcCodec(), Dispatcher.builder(ServerMetrics.disabled()).build(),
                        ServerConfig.DEFAULT_REQUEST_TIMEOUT, ServerMetrics.disabled(), AccessLog.OFF),
                tracker, LIMITS));
        TextWebSocketFrame frame = new TextWebSocketFrame(request("x", "1"));
        early.writeInbound(frame);
        assertThat(frame.refCnt()).isZero();
        assertThat((Object) early.readOutbound()).isNull();
        assertThat(early.finishAndReleaseAll()).isFalse();
    }

    // ---------------------------------------------------------------- hostile clients

    /** Fills the in-flight cap with requests that stay pending. */
    private void fillTheInFlightCap() {
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
            sendText(request("slow", Integer.toString(i)));
        }
        assertThat(ch.config().isAutoRead()).as("at the cap").isFalse();
    }

    @Test
    void messagesDecodedInOneReadWaitPastTheCapInsteadOfRunning() throws Exception {
        List<TextWebSocketFrame> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(new TextWebSocketFrame(request("slow", Integer.toString(i))));
        }
        ch.writeInbound(frames.toArray());
        assertThat(examples.pending()).as("running").hasSize(MAX_IN_FLIGHT);
        assertThat(tracker.inFlight()).isEqualTo(MAX_IN_FLIGHT);
        assertThat(answerAllSlowRequests()).extracting(r -> tree(r).get("id").asInt())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void aRequestThatArrivedWhileTheSocketTookNoWritesIsAnsweredAndSentOnceItDoes() throws Exception {
        setWritable(false);
        sendText(request("get_data", "\"held\""));
        assertThat(repliesSoFar()).as("held while the socket takes no writes").isEmpty();
        setWritable(true);
        // no read completes here: the reply to what the resumed read let through goes out without one
        assertThat(repliesSoFar()).extracting(r -> tree(r).get("id").asText()).containsExactly("held");
    }

    @Test
    void requestsPastTheConnectionsRateAreAnsweredTooManyRequestsAndTheSocketStaysOpen() throws Exception {
        ch.attr(RequestRateLimiter.KEY).set(new RequestRateLimiter(2, () -> 0L)); // burst of 4, clock stands still
        sendText("[" + request("get_data", "1") + "," + request("get_data", "2") + "," + request("get_data", "3") + "]");
        sendText(request("get_data", "4"));
        sendText(request("get_data", "5"));
        sendText("{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[1]}");
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(3);
        assertThat(tree(replies.get(0))).allSatisfy(r -> assertThat(r.has("result")).isTrue());
        assertThat(tree(replies.get(1)).has("result")).isTrue();
        JsonNode refused = tree(replies.get(2));
        assertThat(refused.path("error").path("code").asInt()).isEqualTo(16386);
        assertThat(refused.path("error").path("data").path("name").asText()).isEqualTo("TooManyRequests");
        assertThat(refused.path("error").path("data").path("retry_after").asLong()).isEqualTo(1);
        assertThat(refused.get("id").asInt()).isEqualTo(5);
        assertThat(examples.notifications()).as("a notification past the limit is not run").isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void noControlFrameReadsAConnectionThatIsOverItsInFlightCap() {
        fillTheInFlightCap();
        int readsBefore = wire.reads;
        // an unfinished message makes the aggregator ask for more; pings and pongs made Netty read
        ch.writeInbound(new TextWebSocketFrame(false, 0, "{\"jsonrpc\""));
        for (int i = 0; i < 20; i++) {
            ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("p" + i, StandardCharsets.UTF_8)));
            ch.writeInbound(new PongWebSocketFrame(Unpooled.copiedBuffer("unsolicited", StandardCharsets.UTF_8)));
            ch.writeInbound(new ContinuationWebSocketFrame(false, 0, " "));
            ch.pipeline().read();
        }
        drainOutbound();
        assertThat(wire.reads).as("reads that reached the socket while paused").isEqualTo(readsBefore);
        assertThat(ch.config().isAutoRead()).isFalse();
        examples.pending().forEach(f -> f.complete("x"));
        examples.pending().clear();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(wire.reads).as("reading resumes once under the cap").isGreaterThan(readsBefore);
    }

    /** Drops what was written so far (pongs, replies) where the test is about something else. */
    private void drainOutbound() {
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            ReferenceCountUtil.release(o);
        }
    }

    @Test
    void pingIsAnsweredWhileTheSocketTakesWritesAndWaitsUnreadWhileItDoesNot() {
        ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("one", StandardCharsets.UTF_8)));
        assertThat(pongText(ch.readOutbound())).isEqualTo("one");
        setWritable(false);
        int readsBefore = wire.reads;
        ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("two", StandardCharsets.UTF_8)));
        assertThat((Object) ch.readOutbound()).as("no pong while the socket takes no writes").isNull();
        assertThat(wire.reads).as("the ping made nothing read").isEqualTo(readsBefore);
        setWritable(true);
        assertThat(pongText(ch.readOutbound())).as("answered once the socket takes writes again").isEqualTo("two");
    }

    @Test
    void pingReachingTheHandlerWhileTheSocketTakesNoWritesIsReleasedUnanswered() {
        setWritable(false);
        int readsBefore = wire.reads;
        PingWebSocketFrame ping = new PingWebSocketFrame(Unpooled.copiedBuffer("late", StandardCharsets.UTF_8));
        // as a ping decoded in the same read as the write that filled the socket arrives
        ch.pipeline().context(RpcServerInitializer.WS_FLOW_CONTROL).fireChannelRead(ping);
        assertThat(ping.refCnt()).as("released unanswered").isZero();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(wire.reads).isEqualTo(readsBefore);
    }

    /** The text of a pong written out, which it releases; fails on anything else. */
    private static String pongText(Object written) {
        try {
            assertThat(written).isInstanceOf(PongWebSocketFrame.class);
            return ((PongWebSocketFrame) written).content().toString(StandardCharsets.UTF_8);
        } finally {
            ReferenceCountUtil.release(written);
        }
    }

    @Test
    void inFlightIsGivenBackWhenWritingTheReplyFails() {
        ch.config().setAllocator(new FailingAllocator());
        sendText(request("get_data", "1"));
        assertThat(tracker.inFlight()).isZero();
        assertThat(closeCodeReplied()).isEqualTo(1011);
    }

    /** An allocator out of direct memory, as the event loops saw it under the ping flood. */
    private static final class FailingAllocator extends AbstractByteBufAllocator {
        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            throw new OutOfMemoryError("Cannot reserve direct buffer memory (test)");
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            throw new OutOfMemoryError("Cannot reserve direct buffer memory (test)");
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    @Test
    void unreadRepliesOverTheLimitForLongerThanItsTimeoutCloseWith1008() {
        ch.freezeTime();
        wire.stalled = true;
        sendText("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "z".repeat(MAX_PENDING_WRITE_BYTES) + "\"],\"id\":1}");
        assertThat(wire.held).hasSize(1);
        ch.advanceTimeBy(PENDING_WRITE_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("still within the timeout").isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(wire.held).last().isInstanceOf(CloseWebSocketFrame.class);
        assertThat(((CloseWebSocketFrame) wire.held.get(wire.held.size() - 1)).statusCode()).isEqualTo(1008);
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("closed even though the close frame never left").isFalse();
    }

    @Test
    void aRequestNotDoneByItsDeadlineIsAnsweredInternalServerErrorAndGivesBackItsPlace() throws Exception {
        ch.freezeTime();
        sendText(request("slow", "\"late\""));
        sendText(request("slow", "\"later\""));
        assertThat(tracker.inFlight()).isEqualTo(MAX_IN_FLIGHT);
        int readsWhilePaused = wire.reads;
        ch.advanceTimeBy(REQUEST_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(repliesSoFar()).as("still within the deadline").isEmpty();

        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(2);
        for (String reply : replies) {
            JsonNode error = tree(reply).get("error");
            assertThat(error.get("code").asInt()).isEqualTo(ErrorCode.INTERNAL_SERVER_ERROR.code());
            assertThat(error.get("message").asText()).containsPattern("correlation id [0-9a-f]{16}");
        }
        assertThat(tracker.inFlight()).as("the places in flight are free again").isZero();
        assertThat(wire.reads).as("reading resumed").isGreaterThan(readsWhilePaused);
        assertThat(metrics.scrape()).contains("rpc_requests_timed_out_total 2.0");

        examples.pending().forEach(f -> f.complete("too late"));
        ch.runPendingTasks();
        assertThat(repliesSoFar()).as("a late result is not sent as a second reply").isEmpty();
    }

    @Test
    void aRequestDoneBeforeItsDeadlineIsAnsweredWithItsResultAndNoTimerFiresLater() throws Exception {
        ch.freezeTime();
        sendText(request("slow", "1"));
        examples.nextPending().complete("in time");
        ch.runPendingTasks();
        assertThat(tree(repliesSoFar().get(0)).get("result").asText()).isEqualTo("in time");
        ch.advanceTimeBy(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(repliesSoFar()).isEmpty();
        assertThat(metrics.scrape()).contains("rpc_requests_timed_out_total 0.0");
    }

    @Test
    void aMethodWhoseStageBreaksStillGetsAJsonRpcErrorReply() throws Exception {
        sendText(request("broken_stage", "9"));
        List<String> replies = repliesSoFar();
        assertThat(replies).hasSize(1);
        JsonNode reply = tree(replies.get(0));
        assertThat(reply.get("id").asInt()).isEqualTo(9);
        assertThat(reply.get("error").get("code").asInt()).isEqualTo(ErrorCode.INTERNAL_SERVER_ERROR.code());
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void theLastLineOfAWebSocketSaysWhoClosedItHowAndAfterHowManyRequests() {
        try (LogCapture log = LogCapture.of(ClientFaultLog.CONNECTIONS.getName(), Level.INFO)) {
            sendText(request("get_data", "1"));
            sendText("[" + request("get_data", "2") + "," + request("get_data", "3") + "]");
            ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
            ch.runPendingTasks();
            assertThat(ch.isOpen()).isFalse();
            assertThat(log.lines()).last().asString()
                    .startsWith(ch.id().asShortText() + " ")
                    .containsPattern("closed by idle: 1001 idle for \\d+ s; open \\d+\\.\\d s, 3 request\\(s\\)$");
        }
    }

    @Test
    void aClientsCloseFrameIsTheClientsDoingWithItsCodeAndReason() {
        try (LogCapture log = LogCapture.of(ClientFaultLog.CONNECTIONS.getName(), Level.INFO)) {
            ch.writeInbound(new CloseWebSocketFrame(4001, "done here"));
            ch.runPendingTasks();
            assertThat(ch.isOpen()).isFalse();
            assertThat(log.lines()).last().asString().contains("closed by client: 4001 done here; open ");
        }
    }

    @Test
    void aConnectionThatJustEndsWasClosedByTheClientWithoutACloseFrame() {
        try (LogCapture log = LogCapture.of(ClientFaultLog.CONNECTIONS.getName(), Level.INFO)) {
            ch.close();
            assertThat(log.lines()).last().asString().contains("closed by client: 1006 no close frame; open ");
        }
    }

    @Test
    void aCloseForALimitIsTheLimitsDoing() {
        try (LogCapture log = LogCapture.of(ClientFaultLog.CONNECTIONS.getName(), Level.INFO)) {
            String part = "x".repeat(MAX_MESSAGE_BYTES / 2 + 1);
            ch.writeInbound(new TextWebSocketFrame(false, 0, part));
            ch.writeInbound(new ContinuationWebSocketFrame(true, 0, part));
            ReferenceCountUtil.release(ch.readOutbound());
            assertThat(ch.isOpen()).isFalse();
            assertThat(log.lines()).last().asString().contains("closed by limit: 1009 ");
        }
    }

    @Test
    void unreadRepliesUnderTheLimitKeepTheSocketOpen() {
        wire.stalled = true;
        sendText(request("get_data", "1"));
        ch.advanceTimeBy(PENDING_WRITE_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
    }

    /** The status of the close frame the handler wrote (-1 for one without a status), released. */
    private int closeCodeReplied() {
        Object out = ch.readOutbound();
        try {
            assertThat(out).as("a close frame").isInstanceOf(CloseWebSocketFrame.class);
            return ((CloseWebSocketFrame) out).statusCode();
        } finally {
            ReferenceCountUtil.release(out);
        }
    }

    private static CloseWebSocketFrame closeFrame(int code, byte[] reason) {
        ByteBuf body = Unpooled.buffer();
        body.writeShort(code);
        body.writeBytes(reason);
        return new CloseWebSocketFrame(true, 0, body);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void closeWithAnInvalidCodeIsAnsweredWith1002(int code) {
        ch.writeInbound(closeFrame(code, new byte[0]));
        assertThat(closeCodeReplied()).isEqualTo(1002);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void closeWithAReasonThatIsNotUtf8IsAnsweredWith1002() {
        ch.writeInbound(closeFrame(1000, new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff}));
        assertThat(closeCodeReplied()).isEqualTo(1002);
    }

    @Test
    void closeWithAOneByteBodyIsAnsweredWith1002() {
        ch.writeInbound(new CloseWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {3})));
        assertThat(closeCodeReplied()).isEqualTo(1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1003, 1011, 3000, 4999})
    void closeWithAValidCodeIsEchoedAndTheSocketCloses(int code) {
        ch.writeInbound(closeFrame(code, "bye \u263a".getBytes(StandardCharsets.UTF_8)));
        assertThat(closeCodeReplied()).isEqualTo(code);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void closeWithoutACodeIsAnsweredWithoutOne() {
        ch.writeInbound(new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER));
        assertThat(closeCodeReplied()).as("no status").isEqualTo(-1);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void bytesLeftOverFromTheUpgradeRequestCloseWith1002() {
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, (byte) 0x85}));
        assertThat(closeCodeReplied()).isEqualTo(1002);
    }
}
