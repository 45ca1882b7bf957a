package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.server.testing.Eventually;
import dev.sessionrpc.server.testing.ExampleMethods;
import dev.sessionrpc.server.testing.RawWebSocket;
import dev.sessionrpc.server.testing.TestWebSocket;
import dev.sessionrpc.server.transport.ClientFaultLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile-client findings on real sockets, each against a server configured small so that
 * the test runs in seconds: what an unauthenticated stranger could do, and what it gets now.
 */
class HostileClientsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_DATA = "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"ok\"}";
    private static final String OVERFLOW = "{\"jsonrpc\":\"2.0\",\"method\":\"help.get_server_information\",\"id\":1,"
            + "\"params\":{\"x\":1e999999999999}}";

    private RpcServer server;

    private RpcServer start(UnaryOperator<ServerConfig.Builder> config) {
        server = ExampleMethods.startServer(config);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToEnd(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static String upgradeRequest(String version) {
        return "GET /rpc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + version + "\r\n\r\n";
    }

    @Test
    void idleHttpConnectionsCountTowardsTheConnectionLimitAndTheNextIsRefusedAtOnce() throws Exception {
        start(c -> c.maxConnections(3));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                idle.add(connect());
            }
            try (Socket refused = connect()) {
                assertThat(readToEnd(refused)).startsWith("HTTP/1.1 503 ");
            }
            assertThat(server.metrics().scrape()).containsPattern("rpc_connections_refused_total(\\{[^}]*\\})? [1-9]");
            idle.get(0).close();
            eventuallyServes();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    private void eventuallyServes() {
        Eventually.succeeds("a place frees up once a connection closes", () -> {
            try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
                assertThat(JSON.readTree(ws.call(GET_DATA)).get("id").asText()).isEqualTo("ok");
            }
        });
    }

    private Socket connectFrom(String localAddress) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Upgrades a raw socket, with extra header lines (each ending in CRLF), and returns the status line of the answer. */
    private static String upgrade(Socket s, String extraHeaders) throws IOException {
        write(s, upgradeRequest("13").replace("\r\n\r\n", "\r\n" + extraHeaders + "\r\n"));
        String head = readHead(s.getInputStream());
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Test
    void oneAddressHoldsAtMostItsConnectionsAndOtherAddressesAreServed() throws Exception {
        start(c -> c.maxConnectionsPerAddress(2));
        try (Socket a = connectFrom("127.0.0.1"); Socket b = connectFrom("127.0.0.1")) {
            assertThat(upgrade(a, "")).startsWith("HTTP/1.1 101");
            try (Socket refused = connectFrom("127.0.0.1")) {
                assertThat(readToEnd(refused)).startsWith("HTTP/1.1 503 ").contains("your address");
            }
            try (Socket other = connectFrom("127.0.0.2")) {
                assertThat(upgrade(other, "")).startsWith("HTTP/1.1 101");
            }
            assertThat(server.metrics().scrape()).containsPattern("rpc_connections_refused_total\\{limit=\"per_address\"} [1-9]");
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHoldsAtMostItsConnections() throws Exception {
        java.net.InetAddress proxy = java.net.InetAddress.getByName("127.0.0.1");
        start(c -> c.maxConnectionsPerAddress(2).trustedProxies(List.of(proxy)));
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = connect();
                open.add(s);
                assertThat(upgrade(s, "X-Forwarded-For: 203.0.113.9\r\n")).startsWith("HTTP/1.1 101");
            }
            Socket third = connect();
            open.add(third);
            assertThat(upgrade(third, "X-Forwarded-For: 203.0.113.9\r\n")).startsWith("HTTP/1.1 503");
            Socket otherClient = connect();
            open.add(otherClient);
            assertThat(upgrade(otherClient, "X-Forwarded-For: 198.51.100.7\r\n")).startsWith("HTTP/1.1 101");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void aKeptAliveConnectionThatDribblesItsNextRequestIsClosedAfterTheReadTimeout() throws Exception {
        start(c -> c.requestReadTimeout(Duration.ofMillis(500)).idleTimeout(Duration.ofMinutes(5)));
        try (Socket s = connect()) {
            write(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = s.getInputStream();
            String first = readHead(in);
            assertThat(first).startsWith("HTTP/1.1 200");
            in.readNBytes(contentLength(first));
            long start = System.nanoTime();
            write(s, "GET /health HTTP/1.1\r\nHo");
            assertThat(in.read()).as("closed, nothing answered").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("a response head").isNotNegative();
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Test
    void anExponentThatOverflowsIsAParseErrorAndTheWebSocketStaysOpen() throws Exception {
        start(c -> c);
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            JsonNode reply = JSON.readTree(ws.call(OVERFLOW));
            assertThat(reply.path("error").path("code").asInt()).isEqualTo(-32700);
            assertThat(reply.get("id").isNull()).isTrue();
            assertThat(JSON.readTree(ws.call(GET_DATA)).get("id").asText()).isEqualTo("ok");
        }
    }

    @Test
    void anExponentThatOverflowsIsAParseErrorOverHttp() throws Exception {
        start(c -> c);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/rpc"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(OVERFLOW)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asInt()).isEqualTo(-32700);
    }

    @Test
    void aRequestWhoseLastTransferCodingIsNotChunkedIs400AndNothingSmuggledAfterItIsServed() throws Exception {
        start(c -> c);
        for (String coding : List.of("gzip", "identity", "chunked, chunked")) {
            try (Socket s = connect()) {
                write(s, "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: " + coding
                        + "\r\n\r\n2\r\n{}\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                String answer = readToEnd(s);
                assertThat(answer).as(coding).startsWith("HTTP/1.1 400 ");
                assertThat(answer.split("HTTP/1\\.1 ", -1)).as("one answer, then closed").hasSize(2);
            }
        }
    }

    @Test
    void legacyHandshakesAreRefusedWith426NamingVersion13() throws Exception {
        start(c -> c);
        String hixie76 = "GET /rpc HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U";
        for (String request : List.of(hixie76, upgradeRequest("8"), upgradeRequest("7"), upgradeRequest("0"))) {
            try (Socket s = connect()) {
                write(s, request);
                String answer = readToEnd(s);
                assertThat(answer).startsWith("HTTP/1.1 426 ");
                assertThat(answer).containsIgnoringCase("sec-websocket-version: 13\r\n");
            }
        }
    }

    @Test
    void aFrameSentWithTheUpgradeRequestIsAnsweredNotDropped() throws Exception {
        start(c -> c);
        try (Socket s = connect()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(upgradeRequest("13").getBytes(StandardCharsets.US_ASCII));
            both.writeBytes(maskedText(GET_DATA));
            s.getOutputStream().write(both.toByteArray());
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101");
            int b0 = in.read();
            int opcode = b0 & 0x0f;
            assertThat(opcode).as("a close frame (or, were it processed, a reply)").isIn(RawWebSocket.CLOSE, RawWebSocket.TEXT);
            if (opcode == RawWebSocket.CLOSE) {
                int length = in.read() & 0x7f;
                byte[] payload = in.readNBytes(length);
                assertThat(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)).isEqualTo(1002);
            }
        }
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        f.write(0x80 | payload.length);
        byte[] mask = {9, 8, 7, 6};
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    @Test
    void aMessageNotFinishedWithinTheMessageTimeoutClosesWith1008() throws Exception {
        start(c -> c.messageTimeout(Duration.ofMillis(500)));
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            ws.sendFrame(RawWebSocket.TEXT, false, "{\"jsonrpc\":".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame close = ws.readSkippingPings();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1008);
            assertThat(ws.awaitEndOfStream()).isTrue();
        }
    }

    @Test
    void aMessageThatDoesNotFitTheBufferBudgetClosesWith1009AndOthersAreServed() throws Exception {
        start(c -> c.maxBufferedBytes(4_000));
        try (RawWebSocket hog = RawWebSocket.connect(server.port());
             RawWebSocket late = RawWebSocket.connect(server.port());
             TestWebSocket bystander = TestWebSocket.connect(server.port())) {
            hog.sendFrame(RawWebSocket.TEXT, false, "h".repeat(3_500).getBytes(StandardCharsets.UTF_8));
            assertThat(JSON.readTree(bystander.call(GET_DATA)).get("id").asText()).as("the hog's bytes are in").isEqualTo("ok");
            late.sendFrame(RawWebSocket.TEXT, false, "l".repeat(1_000).getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame close = late.readSkippingPings();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(JSON.readTree(bystander.call(GET_DATA)).get("id").asText()).isEqualTo("ok");
        }
    }

    @Test
    void invalidCloseCodesAreAnsweredWith1002() throws Exception {
        start(c -> c);
        for (int code : new int[] {0, 999, 1005, 1015, 2999, 5000}) {
            try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
                ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {(byte) (code >>> 8), (byte) code});
                RawWebSocket.Frame reply = ws.readSkippingPings();
                assertThat(reply.opcode()).isEqualTo(RawWebSocket.CLOSE);
                assertThat(reply.closeCode()).as("answer to close code %d", code).isEqualTo(1002);
            }
        }
    }

    @Test
    void clientMistakesLogAtMostOneShortLinePerKindPerSecond() throws Exception {
        Logger connections = (Logger) ClientFaultLog.CONNECTIONS;
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Level previous = connections.getLevel();
        connections.setLevel(Level.INFO);
        lines.start();
        connections.addAppender(lines);
        try {
            start(c -> c);
            long started = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
                    ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xed}); // 1005
                    assertThat(ws.readSkippingPings().closeCode()).isEqualTo(1002);
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1;
            List<ILoggingEvent> logged;
            synchronized (lines) { // the appender's own lock: event loops may still be logging closes
                logged = new ArrayList<>(lines.list);
            }
            List<ILoggingEvent> faults = logged.stream()
                    .filter(e -> e.getFormattedMessage().contains("closed with 1002")).toList();
            assertThat(faults).isNotEmpty().hasSizeLessThanOrEqualTo((int) seconds);
            assertThat(logged).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        } finally {
            connections.detachAppender(lines);
            connections.setLevel(previous);
        }
    }
}
