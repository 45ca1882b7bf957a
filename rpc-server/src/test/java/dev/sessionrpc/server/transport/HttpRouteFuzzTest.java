package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.EmbeddedSocketChannel;
import dev.sessionrpc.server.testing.ExampleMethods;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of the real {@link RpcServerInitializer} pipeline (HttpServerCodec, aggregator, flow
 * control, handshake timeout, RouteHandler, JsonRpcHttpHandler, the WebSocket upgrade) on an
 * embedded socket channel, fed raw request heads and bodies built from the fuzz data: methods,
 * paths, versions, Content-Length, Transfer-Encoding, Content-Type, Upgrade, Connection and random
 * headers, JSON-RPC or random bodies, several requests pipelined, cut into chunks of any size.
 *
 * <p>Properties: no exception reaches the pipeline's tail (EmbeddedChannel rethrows it); every
 * response is a well-formed HTTP/1.x response whose status the server may give (PROTOCOL.md §1,
 * plus Netty's own answers to {@code Expect}); no buffer leaks (NettyLeakDetectionExtension).
 */
class HttpRouteFuzzTest {

    /**
     * Statuses the server may answer with; 100 and 417 are the aggregator's answers to an Expect
     * header, 403 refuses a page whose Origin is not allowed (none is, by default).
     */
    private static final Set<Integer> STATUSES = Set.of(100, 101, 200, 204, 400, 403, 404, 405, 413, 415, 417, 426,
            431, 501, 503, 505);
    private static final int MAX_MESSAGE_BYTES = 512;
    private static final ServerConfig CONFIG = ServerConfig.builder().maxMessageBytes(MAX_MESSAGE_BYTES).build();
    private static final ServerMetrics METRICS = ServerMetrics.prometheus();
    private static final JsonRpcProcessor PROCESSOR;

    static {
        Dispatcher.Builder methods = Dispatcher.builder(METRICS);
        new ExampleMethods().methods().forEach((name, handler) -> {
            if (!name.equals("slow")) { // its replies wait for the test
                methods.method(name, handler);
            }
        });
        PROCESSOR = new JsonRpcProcessor(new JsonRpcCodec(), methods.build(), ServerConfig.DEFAULT_REQUEST_TIMEOUT, ServerMetrics.disabled(), AccessLog.OFF);
    }

    private static final String[] METHODS = {"POST", "GET", "HEAD", "PUT", "OPTIONS", "DELETE", "post", "PRI", "CONNECT"};
    private static final String[] PATHS = {"/rpc", "/rpc?x=1", "/rpc/", "/RPC", "/health", "/health/live",
        "/health/ready", "/metrics", "/", "*", "http://localhost/rpc", "/rpc%00", "/rpc#f", "//rpc"};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "http/1.1", ""};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json-rpc", "application/jsonrequest",
        "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "application/json;", ";", ""};
    private static final String[] BODIES = {
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1,2,3,4,5]}",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},{\"foo\":\"boo\"}]",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}]",
        "{\"jsonrpc\":\"2.0\",\"method\":\"foobar, \"params\":\"bar\",\"baz]",
        "[]", "", "{\"jsonrpc\":\"2.0\",\"method\":\"boom\",\"id\":7}",
    };

    @FuzzTest(maxDuration = "10m")
    void anyRequestGetsAWellFormedResponseWithAnAllowedStatus(FuzzedDataProvider data) {
        ConnectionTracker tracker = new ConnectionTracker(10, 10, METRICS);
        EmbeddedSocketChannel ch = new EmbeddedSocketChannel(new RpcServerInitializer(CONFIG, PROCESSOR, tracker, new OperatorEndpoints(tracker, METRICS, null)));
        try {
            // literal mode: the input is the wire (hand-written seeds); else requests built from the data
            byte[] wire = data.consumeBoolean() ? data.consumeRemainingAsBytes() : requests(data);
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            int at = 0;
            while (at < wire.length && ch.isOpen()) {
                int n = Math.min(wire.length - at, data.remainingBytes() > 0 ? data.consumeInt(1, 400) : wire.length);
                ch.writeInbound(Unpooled.copiedBuffer(wire, at, n));
                at += n;
                ch.runPendingTasks();
                drain(ch, written);
            }
            ch.runPendingTasks();
            drain(ch, written);
            checkResponses(written.toByteArray(), ch.isOpen());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static void drain(EmbeddedSocketChannel ch, ByteArrayOutputStream written) {
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            try {
                assertThat(o).as("outbound message").isInstanceOf(ByteBuf.class);
                ByteBuf b = (ByteBuf) o;
                byte[] bytes = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), bytes);
                written.writeBytes(bytes);
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
    }

    // ------------------------------------------------------------------ requests from fuzz data

    private static byte[] requests(FuzzedDataProvider data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            request(data, out);
        }
        if (data.consumeBoolean()) {
            out.writeBytes(data.consumeBytes(64)); // garbage after the requests
        }
        return out.toByteArray();
    }

    private static void request(FuzzedDataProvider data, ByteArrayOutputStream out) {
        byte[] body = data.consumeBoolean() ? pick(data, BODIES).getBytes(StandardCharsets.UTF_8)
                : data.consumeBytes(data.consumeInt(0, 700));
        StringBuilder head = new StringBuilder();
        head.append(data.consumeInt(0, 9) == 0 ? data.consumeString(10) : pick(data, METHODS)).append(' ')
                .append(data.consumeInt(0, 9) == 0 ? data.consumeString(30) : pick(data, PATHS));
        String version = data.consumeInt(0, 9) == 0 ? data.consumeString(10) : pick(data, VERSIONS);
        if (!version.isEmpty()) {
            head.append(' ').append(version);
        }
        head.append("\r\n");
        boolean chunked = false;
        boolean lengthSent = false;
        int headers = data.consumeInt(0, 8);
        for (int h = 0; h < headers; h++) {
            switch (data.consumeInt(0, 11)) {
                case 0 -> head.append("Host: localhost\r\n");
                case 1 -> {
                    head.append("Content-Length: ").append(switch (data.consumeInt(0, 4)) {
                        case 0 -> "-1";
                        case 1 -> Long.toString(data.consumeLong());
                        case 2 -> "12abc";
                        default -> Integer.toString(body.length);
                    }).append("\r\n");
                    lengthSent = true;
                }
                case 2 -> {
                    head.append("Transfer-Encoding: ").append(pick(data, "chunked", "gzip, chunked", "chunked, chunked",
                            "identity", "xchunked", " chunked")).append("\r\n");
                    chunked = true;
                }
                case 3 -> head.append("Content-Type: ").append(pick(data, CONTENT_TYPES)).append("\r\n");
                case 4 -> head.append("Upgrade: ").append(pick(data, "websocket", "WebSocket", "h2c", "")).append("\r\n");
                case 5 -> head.append("Connection: ").append(pick(data, "Upgrade", "keep-alive, Upgrade", "close",
                        "keep-alive", "upgrade, close")).append("\r\n");
                case 6 -> head.append("Sec-WebSocket-Version: ").append(pick(data, "13", "8", "14", "x")).append("\r\n");
                case 7 -> head.append("Sec-WebSocket-Key: ").append(pick(data, "dGhlIHNhbXBsZSBub25jZQ==", "", "x"))
                        .append("\r\n");
                case 8 -> head.append("Origin: ").append(pick(data, "http://localhost", "null", "https://evil.example"))
                        .append("\r\n");
                case 9 -> head.append("X-Forwarded-For: ").append(pick(data, "203.0.113.9", "::1, 10.0.0.1", "garbage"))
                        .append("\r\n");
                case 10 -> head.append(data.consumeString(20)).append(": ").append(data.consumeString(40)).append("\r\n");
                default -> head.append(data.consumeString(40)).append("\r\n"); // a line that is no header
            }
        }
        if (!lengthSent && !chunked && data.consumeBoolean()) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (chunked && data.consumeBoolean()) {
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, data.consumeInt(1, 200));
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                at += n;
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(body);
        }
    }

    private static String pick(FuzzedDataProvider data, String... choices) {
        return choices[data.consumeInt(0, choices.length - 1)];
    }

    // ------------------------------------------------------------------ what the server writes

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) [^\\r\\n]*");
    private static final Pattern HEADER = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \\t]*([^\\r\\n]*)");

    /** Parses the responses one after another; after a 101 the bytes are WebSocket frames. */
    private static void checkResponses(byte[] out, boolean open) {
        String text = new String(out, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf("\r\n\r\n", at);
            assertThat(end).as("a complete response head in %s", text.substring(at)).isGreaterThanOrEqualTo(0);
            String[] lines = text.substring(at, end).split("\r\n", -1);
            Matcher status = STATUS_LINE.matcher(lines[0]);
            assertThat(status.matches()).as("status line %s", lines[0]).isTrue();
            int code = Integer.parseInt(status.group(1));
            assertThat(code).as("status of %s", lines[0]).isIn(STATUSES);
            long length = -1;
            for (int i = 1; i < lines.length; i++) {
                Matcher header = HEADER.matcher(lines[i]);
                assertThat(header.matches()).as("header line %s", lines[i]).isTrue();
                if (header.group(1).toLowerCase(Locale.ROOT).equals("content-length")) {
                    assertThat(length).as("one Content-Length").isEqualTo(-1);
                    length = Long.parseLong(header.group(2).trim());
                }
                assertThat(header.group(1).toLowerCase(Locale.ROOT)).as("no chunked replies").isNotEqualTo("transfer-encoding");
            }
            at = end + 4;
            if (code == 101) {
                return; // the connection speaks WebSocket from here on
            }
            if (code == 100 || code == 204 || code == 304) {
                continue; // no body by definition; Netty's encoder drops Content-Length here
            }
            if (text.startsWith("HTTP/1.", at) || (at == text.length() && length > 0)) {
                continue; // the answer to a HEAD: the length of the body it would have had, and no body
            }
            if (length < 0) {
                // RFC 9112 §6.3: without a length the body runs to the close (Netty's own 400 for a failed
                // handshake is written so); then it must be the last response and the connection closed
                assertThat(open).as("connection open after a %s response without Content-Length", code).isFalse();
                return;
            }
            assertThat(text.length() - at).as("body of a %s response", code).isGreaterThanOrEqualTo((int) length);
            at += (int) length;
        }
    }
}
