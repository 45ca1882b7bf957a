package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every HTTP request on a connection, first or kept-alive, on an {@link EmbeddedChannel} with the
 * real codec: its read timeout, its share of the buffer budget, and the requests RFC 9112 says
 * to refuse.
 */
class HttpRequestGuardTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final String POST_HEAD = "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

    private final BufferBudget budget = new BufferBudget(1_000);
    private final List<String> passed = new ArrayList<>();
    private final EmbeddedChannel ch;

    HttpRequestGuardTest() {
        HttpRequestGuard guard = new HttpRequestGuard(READ_TIMEOUT, budget);
        ch = new EmbeddedChannel(guard.firstBytes(), new HttpServerCodec(), guard, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest req) {
                    passed.add(req.method() + " " + req.uri() + (req.decoderResult().isFailure() ? " (malformed)" : ""));
                } else if (msg instanceof LastHttpContent) {
                    passed.add("end");
                }
                ReferenceCountUtil.release(msg);
            }
        });
        ch.freezeTime();
    }

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private void send(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private void after(Duration d) {
        ch.advanceTimeBy(d.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    /** The status line of the one response written, or null when none was. */
    private String response() {
        ByteBuf out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        try {
            String text = out.toString(StandardCharsets.ISO_8859_1);
            return text.substring(0, text.indexOf("\r\n"));
        } finally {
            out.release();
        }
    }

    private static String post(String body) {
        return POST_HEAD + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void aRequestDribbledSlowerThanTheReadTimeoutClosesTheConnection() {
        String request = post("{}");
        for (int i = 0; i < 9; i++) {
            send(request.substring(i, i + 1));
            after(Duration.ofSeconds(1));
        }
        assertThat(ch.isOpen()).isTrue();
        after(Duration.ofSeconds(1));
        assertThat(ch.isOpen()).isFalse();
        assertThat(passed).isEmpty();
    }

    @Test
    void everyKeptAliveRequestHasTheSameBoundFromItsFirstByte() {
        send(post("{}"));
        assertThat(passed).containsExactly("POST /rpc", "end");
        after(Duration.ofMinutes(5));
        assertThat(ch.isOpen()).as("an idle kept-alive connection is the idle timer's business").isTrue();
        send("POST /rpc HTTP/1.1\r\nHo");
        after(READ_TIMEOUT.minusMillis(1));
        assertThat(ch.isOpen()).isTrue();
        send("st: x\r\n");
        after(Duration.ofMillis(1));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aRequestThatArrivesInTimeIsPassedOnAndStopsTheClock() {
        send(POST_HEAD + "Content-Length: 2\r\n\r\n{");
        after(READ_TIMEOUT.minusSeconds(1));
        send("}");
        after(READ_TIMEOUT.multipliedBy(2));
        assertThat(ch.isOpen()).isTrue();
        assertThat(passed).containsExactly("POST /rpc", "end");
        assertThat(budget.used()).isZero();
    }

    @Test
    void aBodyStillComingInHoldsItsBytesInTheBudgetAndPastIt413() {
        send(POST_HEAD + "Content-Length: 1500\r\n\r\n" + "x".repeat(600));
        assertThat(budget.used()).isEqualTo(600);
        send("y".repeat(600));
        assertThat(response()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        assertThat(budget.used()).isZero();
        assertThat(ch.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0"})
    void aVersionOtherThan10Or11Is505(String version) {
        send("GET /health " + version + "\r\nHost: x\r\n\r\n");
        assertThat(response()).endsWith("505 HTTP Version Not Supported");
        assertThat(passed).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void http11WithoutHostIs400() {
        send("GET /health HTTP/1.1\r\n\r\n");
        assertThat(response()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(passed).isEmpty();
    }

    @Test
    void http11WithTwoHostsIs400() {
        send("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        assertThat(response()).isEqualTo("HTTP/1.1 400 Bad Request");
    }

    @Test
    void http10WithoutHostIsServed() {
        send("GET /health HTTP/1.0\r\n\r\n");
        assertThat(response()).isNull();
        assertThat(passed).containsExactly("GET /health", "end");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "deflate, chunked"})
    void aTransferCodingAppliedBeforeChunkedIs501AndNothingMoreIsRead(String coding) {
        send(POST_HEAD + "Transfer-Encoding: " + coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response()).isEqualTo("HTTP/1.1 501 Not Implemented");
        assertThat(passed).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    /** RFC 9112 §6.3: a request whose last coding is not chunked has no knowable length; RouteHandler answers 400. */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "identity", "chunked, chunked", "xchunked"})
    void aLastTransferCodingOtherThanChunkedIsMalformedAndNothingMoreIsRead(String coding) {
        send(POST_HEAD + "Transfer-Encoding: " + coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(passed).containsExactly("POST /rpc (malformed)");
    }

    @Test
    void chunkedBodiesAreServed() {
        send(POST_HEAD + "Transfer-Encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assertThat(response()).isNull();
        assertThat(passed).containsExactly("POST /rpc", "end");
    }
}
