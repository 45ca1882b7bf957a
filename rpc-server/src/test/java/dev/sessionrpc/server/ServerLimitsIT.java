package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.server.testing.Eventually;
import dev.sessionrpc.server.testing.ExampleMethods;
import dev.sessionrpc.server.testing.RawWebSocket;
import dev.sessionrpc.server.testing.TestWebSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits of PROTOCOL.md §1 on real sockets, each with a server configured small so that the
 * test runs fast: message size, connection count, handshake time, idle time, metrics switch.
 */
class ServerLimitsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_DATA = "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"ok\"}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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

    private static void assertServes(TestWebSocket ws) throws Exception {
        assertThat(JSON.readTree(ws.call(GET_DATA)).get("id").asText()).isEqualTo("ok");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void messageOverTheSizeLimitClosesWith1009AndHarmsNoOtherSocket() throws Exception {
        start(c -> c.maxMessageBytes(1024));
        try (TestWebSocket bystander = TestWebSocket.connect(server.port());
             TestWebSocket offender = TestWebSocket.connect(server.port())) {
            offender.send("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "x".repeat(2048) + "\"],\"id\":1}");
            assertThat(offender.awaitCloseCode()).isEqualTo(1009);
            assertThat(offender.messages()).isEmpty();
            assertServes(bystander);
        }
        try (TestWebSocket fresh = TestWebSocket.connect(server.port())) {
            assertServes(fresh);
        }
    }

    @Test
    void fragmentedMessageOverTheSizeLimitClosesWith1009() throws Exception {
        start(c -> c.maxMessageBytes(1024));
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            String part = "y".repeat(600);
            ws.sendFragmented("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"", part, part, "\"],\"id\":1}");
            assertThat(ws.awaitCloseCode()).isEqualTo(1009);
        }
        try (TestWebSocket fresh = TestWebSocket.connect(server.port())) {
            assertServes(fresh);
        }
    }

    @Test
    void messageJustUnderTheSizeLimitIsServed() throws Exception {
        start(c -> c.maxMessageBytes(1024));
        String head = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":1,\"params\":[\"";
        String request = head + "z".repeat(1024 - head.length() - 3) + "\"]}";
        assertThat(request).hasSize(1024);
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            assertThat(JSON.readTree(ws.call(request)).get("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void upgradesPastTheConnectionLimitAreRefusedWith503() throws Exception {
        start(c -> c.maxConnections(2));
        TestWebSocket first = TestWebSocket.connect(server.port());
        try (TestWebSocket second = TestWebSocket.connect(server.port())) {
            assertThatThrownBy(() -> TestWebSocket.connect(server.port()))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(503));
            assertServes(first);
            assertServes(second);
            assertThat(server.metrics().scrape()).containsPattern("rpc_connections_refused_total(\\{[^}]*\\})? [1-9]");

            first.close();
            Eventually.until("a place is free again", () -> {
                try (TestWebSocket third = TestWebSocket.connect(server.port())) {
                    return true;
                } catch (CompletionException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void rawSocketThatNeverSendsARequestIsClosedAfterTheHandshakeTimeout() throws Exception {
        start(c -> c.handshakeTimeout(Duration.ofMillis(300)));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void rawSocketTricklingAnIncompleteRequestIsClosedAfterTheHandshakeTimeout() throws Exception {
        start(c -> c.handshakeTimeout(Duration.ofMillis(300)));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /rpc HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void idleHttpKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start(c -> c.idleTimeout(Duration.ofMillis(600)).pingInterval(Duration.ofMillis(200)));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(response).isEqualTo("HTTP/1.1 200");
            while (in.read() >= 0) {
                // the rest of the response, then end of stream once the idle timeout closes the connection
            }
        }
    }

    @Test
    void upgradedWebSocketOutlivesTheHandshakeTimeout() throws Exception {
        start(c -> c.handshakeTimeout(Duration.ofMillis(200)));
        try (TestWebSocket ws = TestWebSocket.connect(server.port());
             Socket silent = new Socket("127.0.0.1", server.port())) {
            // the clock: a socket opened after the upgrade and silent since is closed by the handshake
            // timeout; once it is, the WebSocket's own timer would have fired too, had it been left running
            silent.setSoTimeout((int) TestWebSocket.WAIT.toMillis());
            assertThat(silent.getInputStream().read()).as("the silent socket is closed").isEqualTo(-1);
            assertServes(ws);
        }
    }

    @Test
    void silentWebSocketIsPingedThenClosedWith1001() throws Exception {
        start(c -> c.idleTimeout(Duration.ofMillis(1000)).pingInterval(Duration.ofMillis(200)));
        try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
            RawWebSocket.Frame first = raw.readFrame();
            assertThat(first.opcode()).as("first frame is a ping").isEqualTo(RawWebSocket.PING);
            RawWebSocket.Frame close = raw.readSkippingPings();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(raw.awaitEndOfStream()).isTrue();
        }
    }

    @Test
    void clientThatAnswersPingsIsKeptOpen() throws Exception {
        start(c -> c.idleTimeout(Duration.ofMillis(1500)).pingInterval(Duration.ofMillis(200)));
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            // ten pings take longer than the idle timeout, so only the pongs can have kept the socket open
            Eventually.until("more than one idle timeout passes", () -> ws.pings() >= 10);
            assertThat(ws.isClosed()).isFalse();
            assertServes(ws);
        }
    }

    @Test
    void metricsCanBeSwitchedOff() throws Exception {
        start(c -> c.metricsEnabled(false));
        assertThat(get("/metrics").statusCode()).isEqualTo(404);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsPastTheInFlightCapAreAllAnsweredExactlyOnce() throws Exception {
        ExampleMethods methods = new ExampleMethods();
        RpcServer.Builder b = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .maxInFlightPerConnection(2).build());
        methods.registerAll(b::method);
        server = b.start();
        int n = 20;
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            for (int i = 0; i < n; i++) {
                ws.send("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":" + i + "}");
            }
            java.util.Set<Integer> answered = new java.util.HashSet<>();
            while (answered.size() < n) {
                java.util.concurrent.CompletableFuture<Object> next =
                        methods.pending().poll(TestWebSocket.WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                assertThat(next).as("request %d reaches the method", answered.size()).isNotNull();
                next.complete("done");
                int id = JSON.readTree(ws.receive()).get("id").asInt();
                assertThat(answered.add(id)).as("id %d answered once", id).isTrue();
            }
            assertThat(answered).hasSize(n);
            assertThat(ws.poll(Duration.ofMillis(100))).isNull();
            assertServes(ws);
        }
    }

    @Test
    void closedWebSocketsLeaveTheOpenConnectionsGauge() throws Exception {
        start(c -> c);
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            assertServes(ws);
            assertThat(server.metrics().scrape()).containsPattern("rpc_connections_open(\\{[^}]*\\})? 1(\\.0)?\\n");
        }
        Eventually.until("the gauge drops to zero", () -> server.metrics().scrape()
                .matches("(?s).*rpc_connections_open(\\{[^}]*\\})? 0(\\.0)?\\n.*"));
    }
}
