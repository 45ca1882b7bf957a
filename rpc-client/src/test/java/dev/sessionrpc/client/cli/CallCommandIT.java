package dev.sessionrpc.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.client.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CallCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aResultIsPrintedAsTheReplyJsonAndExitsZero() throws IOException {
        CliRun run = CliRun.of("call", "--url", server.wsUri().toString(), "help.get_server_information");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode reply = JSON.readTree(run.out());
        assertThat(reply.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(reply.path("result").path("network_name").isTextual()).isTrue();
    }

    @Test
    void anErrorReplyIsPrintedAndExitsOne() throws IOException {
        CliRun run = CliRun.of("call", "--url", server.wsUri().toString(), "session.create", "{\"public_hash\":\"abc\"}");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        JsonNode error = JSON.readTree(run.out()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(8456);
        assertThat(error.path("data").path("parameter").asText()).isEqualTo("public_hash");
    }

    @Test
    void httpAddressesAreCalledWithAPost() throws IOException {
        CliRun run = CliRun.of("call", "--url", server.httpUri().toString(), "test.echo", "[1,2]");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(JSON.readTree(run.out()).path("result").toString()).isEqualTo("[1,2]");
    }

    @Test
    void noServerIsATransportFailureExitingTwo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun run = CliRun.of("call", "--url", "ws://127.0.0.1:" + port + "/rpc", "help.get_server_information");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("transport failure");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aWithheldReplyIsATransportFailureExitingTwo() {
        CliRun run = CliRun.of("call", "--url", server.wsUri().toString(), "--timeout", "1", "test.never");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("no reply to test.never");
    }

    @Test
    void createThenAnswerThenGetCanBeScriptedFromTheCommandLine() throws IOException {
        String publicHash = "a".repeat(64);
        String privateHash = "b".repeat(64);
        CliRun created = CliRun.of("call", "--url", server.wsUri().toString(), "session.create",
                "{\"public_hash\":\"" + publicHash + "\",\"private_hash\":\"" + privateHash
                        + "\",\"platform\":\"Linux\",\"name\":\"Shell\",\"version\":\"1.0\"}");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        JsonNode established = JSON.readTree(created.out()).path("result");

        CliRun answer = CliRun.of("answer", "--challenge", established.path("challenge").asText(),
                "--private-hash", privateHash, "--session-id", established.path("id").asText(), "--public-hash", publicHash);
        assertThat(answer.exitCode()).as(answer.toString()).isZero();

        CliRun got = CliRun.of("call", "--url", server.wsUri().toString(), "session.get",
                "{\"session_identification\":" + answer.out().strip() + "}");
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(JSON.readTree(got.out()).path("result").path("id").asText()).isEqualTo(established.path("id").asText());
    }
}
