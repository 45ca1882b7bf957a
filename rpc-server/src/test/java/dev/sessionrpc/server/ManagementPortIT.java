package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionrpc.server.testing.ExampleMethods;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health and /metrics off the public port, and /metrics behind a bearer token. */
class ManagementPortIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private RpcServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withAManagementPortHealthAndMetricsLeaveThePublicPort() throws Exception {
        server = ExampleMethods.startServer(c -> c.managementPort(0));
        assertThat(server.managementPort()).isPositive().isNotEqualTo(server.port());
        assertThat(get(server.port(), "/health", null).statusCode()).isEqualTo(404);
        assertThat(get(server.port(), "/metrics", null).statusCode()).isEqualTo(404);
        assertThat(get(server.managementPort(), "/health", null).body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get(server.managementPort(), "/metrics", null).body()).contains("rpc_connections_open");
        assertThat(get(server.managementPort(), "/rpc", null).statusCode()).as("no JSON-RPC here").isEqualTo(404);
        HttpResponse<String> rpc = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/rpc"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rpc.statusCode()).isEqualTo(200);
    }

    @Test
    void withATokenMetricsNeedTheBearerAndHealthDoesNot() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cret-token-for-tests\n");
        server = ExampleMethods.startServer(c -> c.metricsTokenFile(token));
        assertThat(get(server.port(), "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get(server.port(), "/metrics", null).headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(get(server.port(), "/metrics", "Bearer s3cret-token-for-test").statusCode()).isEqualTo(401);
        assertThat(get(server.port(), "/metrics", "Basic czNjcmV0").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = get(server.port(), "/metrics", "Bearer s3cret-token-for-tests");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("rpc_connections_open");
        assertThat(get(server.port(), "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenFileThatIsMissingOrEmptyStopsTheStartWithOneLine() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() -> ExampleMethods.startServer(c -> c.metricsTokenFile(empty)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--metrics-token-file: " + empty + " is empty");
        assertThatThrownBy(() -> ExampleMethods.startServer(c -> c.metricsTokenFile(dir.resolve("absent"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--metrics-token-file: cannot read ");
    }

    @Test
    void metricsAreRenderedOffTheEventLoopsAndPipelinedRequestsStayInOrder() throws Exception {
        server = ExampleMethods.startServer(c -> c);
        List<String> readBy = new CopyOnWriteArrayList<>();
        server.metrics().gauge("test_reader_thread", "records who reads it", readBy, list -> {
            list.add(Thread.currentThread().getName());
            return list.size();
        });
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            // /metrics then /health on one connection, sent at once: answered in that order
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(both.indexOf("test_reader_thread")).as("the metrics first").isPositive()
                    .isLessThan(both.indexOf("{\"status\":\"UP\"}"));
        }
        assertThat(readBy).isNotEmpty().allMatch(name -> name.equals("rpc-metrics-scrape"), "the scrape thread");
    }
}
