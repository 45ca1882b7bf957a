package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.server.RpcServer;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.testing.MutableClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-address create limit over a real socket, and whose address counts behind a proxy. */
class CreateThrottleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "{\"jsonrpc\":\"2.0\",\"method\":\"session.create\",\"id\":1,\"params\":"
            + "{\"public_hash\":\"" + "a".repeat(64) + "\",\"private_hash\":\"" + "b".repeat(64)
            + "\",\"platform\":\"Linux\",\"name\":\"Throttle Test\",\"version\":\"1.0.0\"}}";
    private static final String INFO = "{\"jsonrpc\":\"2.0\",\"method\":\"help.get_server_information\",\"id\":2}";

    private final MutableClock clock = MutableClock.atStepStart();
    private final HttpClient http = HttpClient.newHttpClient();
    private RpcServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(List<InetAddress> trustedProxies) {
        server = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).createLimit(2)
                .createWindow(Duration.ofSeconds(60)).trustedProxies(trustedProxies).build()).clock(clock).start();
    }

    private JsonNode post(String body, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/rpc"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void createPastTheLimitIsTooManyRequestsWithRetryAfterAndOtherMethodsStillWork() throws Exception {
        start(List.of());
        assertThat(post(CREATE, null).has("result")).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(post(CREATE, null).has("result")).isTrue();
        clock.advance(Duration.ofSeconds(5));

        JsonNode refused = post(CREATE, null);
        assertThat(refused.at("/error/code").asInt()).isEqualTo(16386);
        assertThat(refused.at("/error/data/name").asText()).isEqualTo("TooManyRequests");
        assertThat(refused.at("/error/data/retry_after").isIntegralNumber()).isTrue();
        assertThat(refused.at("/error/data/retry_after").asLong()).isEqualTo(45);
        assertThat(post(INFO, null).has("result")).as("other methods are not throttled").isTrue();

        clock.advance(Duration.ofSeconds(45));
        assertThat(post(CREATE, null).has("result")).as("allowed again once the window slid").isTrue();
    }

    @Test
    void forwardedForIsIgnoredFromUntrustedPeers() throws Exception {
        start(List.of());
        post(CREATE, "203.0.113.1");
        post(CREATE, "203.0.113.2");
        assertThat(post(CREATE, "203.0.113.3").at("/error/code").asInt()).isEqualTo(16386);
    }

    @Test
    void forwardedForNamesTheClientBehindATrustedProxy() throws Exception {
        start(List.of(InetAddress.getByName("127.0.0.1")));
        post(CREATE, "203.0.113.1");
        post(CREATE, "203.0.113.1");
        assertThat(post(CREATE, "203.0.113.1").at("/error/code").asInt()).isEqualTo(16386);
        assertThat(post(CREATE, "198.51.100.7, 203.0.113.2").has("result"))
                .as("the rightmost untrusted hop is the client").isTrue();
    }

    @Test
    void aThrottleGivenToTheBuilderDecidesAndOneWhoseStageFailsGivesInternalServerError() throws Exception {
        server = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).clock(clock)
                .createThrottle(group -> CompletableFuture.completedFuture(7L)).start();
        JsonNode refused = post(CREATE, null);
        assertThat(refused.at("/error/code").asInt()).isEqualTo(16386);
        assertThat(refused.at("/error/data/retry_after").asLong()).isEqualTo(7);
        server.stop();

        server = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).clock(clock)
                .createThrottle(group -> CompletableFuture.failedFuture(new IllegalStateException("throttle store down")))
                .start();
        JsonNode failed = post(CREATE, null);
        assertThat(failed.at("/error/code").asInt()).isEqualTo(16384);
        assertThat(failed.at("/error/message").asText()).doesNotContain("throttle store down");
        assertThat(post(INFO, null).has("result")).isTrue();
    }
}
