package dev.sessionrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.client.testing.SilentWebSocketServer;
import dev.sessionrpc.client.testing.TestServer;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.MethodDescriptor;
import dev.sessionrpc.protocol.session.ServerInformation;
import dev.sessionrpc.protocol.session.SessionDescriptors;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RpcClientIT {

    private static final Duration LONG = Duration.ofSeconds(20);

    @Test
    void thousandPipelinedCallsOnOneSocketEachGetTheirOwnReply() {
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.connect(server.wsUri())) {
            List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                replies.add(client.call("test.echo", Map.of("n", i, "tag", "call-" + i)));
            }
            for (int i = 0; i < 1000; i++) {
                JsonNode result = replies.get(i).orTimeout(20, TimeUnit.SECONDS).join();
                assertThat(result.get("n").asInt()).isEqualTo(i);
                assertThat(result.get("tag").asText()).isEqualTo("call-" + i);
            }
            assertThat(server.openWebSockets()).isEqualTo(1);
        }
    }

    @Test
    void aCallThroughADescriptorGetsItsResultTyped() {
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.connect(server.wsUri())) {
            ServerInformation info = client.call(SessionDescriptors.SERVER_INFORMATION, null)
                    .orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(info.protocolVersion()).isEqualTo(ServerInformation.PROTOCOL_VERSION);
            assertThat(info.unauthorizedSessionTtl()).isPositive();
        }
    }

    @Test
    void aResultItsDescriptorCannotReadFailsTheCallWithAClientError() {
        MethodDescriptor<JsonNode, ServerInformation> echo = new MethodDescriptor<>("test.echo",
                JsonMarshallers.TREE_PARAMS, SessionDescriptors.SERVER_INFORMATION.result());
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.connect(server.wsUri())) {
            CompletableFuture<ServerInformation> call = client.call(echo, client.mapper().createArrayNode().add(1));
            assertThatThrownBy(() -> call.orTimeout(20, TimeUnit.SECONDS).join())
                    .cause().isInstanceOf(RpcClientException.class)
                    .hasMessageContaining("test.echo");
        }
    }

    @Test
    void batchCallsAreMatchedByIdAndItsNotificationsAreNotAnswered() {
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.connect(server.wsUri())) {
            RpcClient.Batch batch = client.batch();
            CompletableFuture<JsonNode> a = batch.call("test.echo", List.of("a"));
            batch.notify("test.echo", List.of("ignored"));
            CompletableFuture<JsonNode> missing = batch.call("no.such.method", null);
            CompletableFuture<JsonNode> b = batch.call("test.echo", Map.of("b", true));
            batch.send().orTimeout(20, TimeUnit.SECONDS).join();

            assertThat(a.orTimeout(20, TimeUnit.SECONDS).join().get(0).asText()).isEqualTo("a");
            assertThat(b.orTimeout(20, TimeUnit.SECONDS).join().get("b").asBoolean()).isTrue();
            assertThatThrownBy(() -> missing.orTimeout(20, TimeUnit.SECONDS).join())
                    .cause().isInstanceOfSatisfying(RpcErrorException.class,
                            e -> assertThat(e.is(ErrorCode.METHOD_NOT_FOUND)).isTrue());
        }
    }

    @Test
    void errorReplyFailsTheCallWithItsCatalogueEntryNameAndCode() {
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.connect(server.wsUri())) {
            assertThatThrownBy(() -> client.call("rpc.reserved", null).orTimeout(20, TimeUnit.SECONDS).join())
                    .cause().isInstanceOfSatisfying(RpcErrorException.class, e -> {
                        assertThat(e.code()).isEqualTo(-32601);
                        assertThat(e.name()).isEqualTo("MethodNotFound");
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.METHOD_NOT_FOUND);
                        assertThat(e.method()).isEqualTo("rpc.reserved");
                    });
        }
    }

    @Test
    void notificationIsWrittenAndTheConnectionStaysUsable() {
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.connect(server.wsUri())) {
            client.notify("test.echo", Map.of("x", 1)).orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(client.call("test.echo", List.of(7)).orTimeout(20, TimeUnit.SECONDS).join().get(0).asInt())
                    .isEqualTo(7);
        }
    }

    @Test
    void timeoutFiresWhenTheServerWithholdsTheReplyAndLaterCallsStillWork() {
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.connect(server.wsUri())) {
            CompletableFuture<JsonNode> never = client.call("test.never", null, Duration.ofMillis(200));
            assertThatThrownBy(() -> never.get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpcTimeoutException.class)
                    .hasMessageContaining("test.never");
            assertThat(client.call("test.echo", List.of("still here")).orTimeout(20, TimeUnit.SECONDS).join().get(0).asText())
                    .isEqualTo("still here");
        }
    }

    @Test
    void reconnectsAfterTheServerRestartsFailingCallsInFlightAndHoldingNewOnes() throws InterruptedException {
        TestServer first = TestServer.start();
        int port = first.port();
        try (RpcClient client = RpcClient.builder(first.wsUri())
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .callTimeout(LONG)
                .connect()) {
            assertThat(client.call("test.echo", List.of(1)).orTimeout(20, TimeUnit.SECONDS).join().get(0).asInt()).isEqualTo(1);
            CompletableFuture<JsonNode> inFlight = client.call("test.never", null);
            first.awaitWithheldCall();

            first.close();
            assertThatThrownBy(() -> inFlight.get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpcTransportException.class)
                    .hasMessageContaining("lost");

            CompletableFuture<JsonNode> madeWhileDown = client.call("test.echo", List.of(2));
            try (TestServer second = TestServer.start(port, Clock.systemUTC())) {
                assertThat(second.port()).as("the restarted server is on the old port").isEqualTo(port);
                assertThat(madeWhileDown.orTimeout(20, TimeUnit.SECONDS).join().get(0).asInt()).isEqualTo(2);
                assertThat(client.isConnected()).isTrue();
                assertThat(client.call("test.echo", List.of(3)).orTimeout(20, TimeUnit.SECONDS).join().get(0).asInt()).isEqualTo(3);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aServerThatFallsSilentIsTakenForDeadAndTheCallInFlightFails() throws IOException {
        try (SilentWebSocketServer silent = new SilentWebSocketServer();
             RpcClient client = RpcClient.builder(silent.wsUri())
                     .pingInterval(Duration.ofMillis(50))
                     .callTimeout(LONG)
                     .connect()) {
            CompletableFuture<JsonNode> unanswered = client.call("test.echo", List.of(1));
            assertThatThrownBy(() -> unanswered.get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpcTransportException.class)
                    .hasMessageContaining("nothing heard from the server");
        }
    }

    @Test
    void pingsKeepAQuietButLiveConnectionOpen() {
        try (TestServer server = TestServer.start();
             RpcClient client = RpcClient.builder(server.wsUri()).pingInterval(Duration.ofMillis(250)).connect()) {
            CompletableFuture<JsonNode> pending = client.call("test.never", null, LONG);
            JsonNode afterSilence = CompletableFuture.supplyAsync(() -> 2, CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS))
                    .thenCompose(n -> client.call("test.echo", List.of(n)))
                    .orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(afterSilence.get(0).asInt()).isEqualTo(2);
            assertThat(pending).as("the call in flight survives: the socket was never taken for dead").isNotDone();
        }
    }

    @Test
    void closingTheClientFailsCallsInFlight() {
        try (TestServer server = TestServer.start()) {
            RpcClient client = RpcClient.connect(server.wsUri());
            CompletableFuture<JsonNode> inFlight = client.call("test.never", null);
            assertThat(client.call("test.echo", List.of(1)).orTimeout(20, TimeUnit.SECONDS).join().get(0).asInt()).isEqualTo(1);
            client.close();
            assertThatThrownBy(() -> inFlight.get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpcTransportException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> client.call("test.echo", List.of(1)).get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpcTransportException.class);
        }
    }

    @Test
    void connectingToAPortWithoutAServerFailsWithATransportException() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI nowhere = URI.create("ws://127.0.0.1:" + port + "/rpc");
        assertThatThrownBy(() -> RpcClient.connect(nowhere))
                .isInstanceOf(RpcTransportException.class)
                .hasMessageContaining("cannot connect");
    }
}
