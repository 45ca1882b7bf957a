package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.server.testing.Eventually;
import dev.sessionrpc.server.testing.ExampleMethods;
import dev.sessionrpc.server.testing.TestWebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping while requests are in flight: the server stops taking new work, answers what it has,
 * then closes WebSockets with 1001.
 */
class GracefulShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ExampleMethods examples = new ExampleMethods();
    private RpcServer server;

    @BeforeEach
    void start() {
        RpcServer.Builder b = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .shutdownTimeout(Duration.ofSeconds(10)).build());
        examples.registerAll(b::method);
        server = b.start();
    }

    @AfterEach
    void stop() {
        examples.pending().forEach(f -> f.complete("late"));
        server.stop();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** True once a new client can no longer get a 200 from /health: 503 or the listener is gone. */
    private boolean healthReportsNotServing() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 503;
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitNotServing() {
        Eventually.until("health stops reporting UP", this::healthReportsNotServing);
    }

    @Test
    void inFlightWebSocketRequestIsAnsweredThenTheSocketIsClosedWith1001() throws Exception {
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            ws.send("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":\"in-flight\"}");
            CompletableFuture<Object> pending = examples.pending().poll(10, TimeUnit.SECONDS);
            assertThat(pending).as("the request reached the method").isNotNull();

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(server::stop);
            awaitNotServing();
            assertThat(stopped).as("stop waits for the request in flight").isNotDone();
            assertThat(ws.isClosed()).isFalse();

            pending.complete("answered");
            JsonNode reply = JSON.readTree(ws.receive());
            assertThat(reply.get("id").asText()).isEqualTo("in-flight");
            assertThat(reply.get("result").asText()).isEqualTo("answered");
            assertThat(ws.awaitCloseCode()).isEqualTo(1001);
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("everything in flight was answered").isTrue();
        }
    }

    @Test
    void inFlightHttpRequestIsAnswered() throws Exception {
        CompletableFuture<HttpResponse<String>> response = HTTP.sendAsync(HttpRequest.newBuilder(uri("/rpc"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":5}")).build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<Object> pending = examples.pending().poll(10, TimeUnit.SECONDS);
        assertThat(pending).isNotNull();

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(server::stop);
        awaitNotServing();
        assertThat(response).isNotDone();
        pending.complete(42);
        HttpResponse<String> r = response.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("result").asInt()).isEqualTo(42);
        assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void healthCheckerOnAKeptAliveConnectionSees503WhileRequestsDrain() throws Exception {
        try (Socket checker = new Socket("127.0.0.1", server.port());
             TestWebSocket ws = TestWebSocket.connect(server.port())) {
            checker.setSoTimeout(5_000);
            assertThat(healthStatus(checker)).isEqualTo(200);
            ws.send("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":1}");
            CompletableFuture<Object> pending = examples.nextPending();

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(server::stop);
            int[] status = new int[1];
            Eventually.until("health turns from 200", () -> (status[0] = healthStatusUnchecked(checker)) != 200);
            assertThat(status[0]).isEqualTo(503);
            assertThat(stopped).isNotDone();
            pending.complete("done");
            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Sends GET /health on a kept-alive socket and reads the status line and body. */
    private static int healthStatusUnchecked(Socket socket) {
        try {
            return healthStatus(socket);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int healthStatus(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /health HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String statusLine = in.readLine();
        int length = 0;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    @Test
    void idleWebSocketsAreClosedWith1001AndStopIsIdempotent() throws Exception {
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            assertThat(server.stop()).isTrue();
            assertThat(ws.awaitCloseCode()).isEqualTo(1001);
            assertThat(server.stop()).isTrue();
        }
    }
}
