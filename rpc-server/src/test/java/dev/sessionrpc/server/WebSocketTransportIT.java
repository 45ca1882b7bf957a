package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.server.testing.Eventually;
import dev.sessionrpc.server.testing.ExampleMethods;
import dev.sessionrpc.server.testing.RawWebSocket;
import dev.sessionrpc.server.testing.TestWebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md §1-2 over a real WebSocket on port 0: one socket per test, one server per class. */
class WebSocketTransportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExampleMethods EXAMPLES = new ExampleMethods();
    private static RpcServer server;

    private TestWebSocket ws;

    @BeforeAll
    static void startServer() {
        RpcServer.Builder b = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build());
        EXAMPLES.registerAll(b::method);
        server = b.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void connect() {
        EXAMPLES.notifications().clear();
        ws = TestWebSocket.connect(server.port());
    }

    @AfterEach
    void disconnect() {
        EXAMPLES.pending().forEach(f -> f.complete("late"));
        EXAMPLES.pending().clear();
        ws.close();
    }

    private static JsonNode tree(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static void assertError(JsonNode reply, int code, String name) {
        assertThat(reply.isObject()).as("reply %s is an object", reply).isTrue();
        assertThat(reply.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(reply.path("error").path("code").asInt()).as("code in %s", reply).isEqualTo(code);
        assertThat(reply.path("error").path("message").isTextual()).isTrue();
        assertThat(reply.path("error").path("data").path("name").asText()).isEqualTo(name);
    }

    /** After an error the same socket must still serve requests. */
    private void assertSocketStillServes() throws Exception {
        JsonNode reply = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":\"alive\"}"));
        assertThat(reply.get("result").asInt()).isEqualTo(19);
        assertThat(reply.get("id").asText()).isEqualTo("alive");
        assertThat(ws.isClosed()).isFalse();
    }

    @Test
    void positionalAndNamedParamsAreAnswered() throws Exception {
        assertThat(tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}")).get("result").asInt())
                .isEqualTo(19);
        assertThat(tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"subtrahend\":23,\"minuend\":42},\"id\":3}"))
                .get("result").asInt()).isEqualTo(19);
    }

    @Test
    void bigIntegerIdComesBackAsTheSameLiteral() {
        String reply = ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":12345678901234567890}");
        assertThat(reply).contains("\"id\":12345678901234567890").doesNotContain("1.2345678901234567E19");
    }

    @Test
    void fractionalIdComesBackAsTheSameLiteral() {
        assertThat(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1.5}")).contains("\"id\":1.5}");
    }

    @Test
    void stringAndNullIdsAreEchoed() throws Exception {
        assertThat(tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"abc\"}")).get("id").asText()).isEqualTo("abc");
        JsonNode reply = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":null}"));
        assertThat(reply.get("id").isNull()).isTrue();
        assertThat(reply.get("result").get(0).asText()).isEqualTo("hello");
    }

    @Test
    void textThatIsNotJsonIsAParseErrorAndTheSocketStaysOpen() throws Exception {
        JsonNode reply = tree(ws.call("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]"));
        assertError(reply, -32700, "ParseError");
        assertThat(reply.get("id").isNull()).isTrue();
        assertSocketStillServes();
    }

    @Test
    void invalidRequestObjectIsAnsweredWithNullId() throws Exception {
        JsonNode reply = tree(ws.call("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}"));
        assertError(reply, -32600, "InvalidRequest");
        assertThat(reply.get("id").isNull()).isTrue();
        assertSocketStillServes();
    }

    @Test
    void wrongVersionAndBadParamsAreInvalidRequests() throws Exception {
        assertError(tree(ws.call("{\"jsonrpc\":\"1.0\",\"method\":\"get_data\",\"id\":1}")), -32600, "InvalidRequest");
        assertError(tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"params\":null,\"id\":1}")), -32600, "InvalidRequest");
        assertError(tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"params\":\"x\",\"id\":1}")), -32600, "InvalidRequest");
        JsonNode badId = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":{\"a\":1}}"));
        assertError(badId, -32600, "InvalidRequest");
        assertThat(badId.get("id").isNull()).isTrue();
        assertSocketStillServes();
    }

    @Test
    void emptyBatchIsOneInvalidRequestObject() throws Exception {
        JsonNode reply = tree(ws.call("[]"));
        assertError(reply, -32600, "InvalidRequest");
        assertThat(reply.get("id").isNull()).isTrue();
        assertSocketStillServes();
    }

    @Test
    void batchOfScalarsIsAnArrayOfInvalidRequests() throws Exception {
        JsonNode one = tree(ws.call("[1]"));
        assertThat(one.isArray()).isTrue();
        assertThat(one).hasSize(1);
        JsonNode two = tree(ws.call("[1,2]"));
        assertThat(two).hasSize(2);
        JsonNode three = tree(ws.call("[1,2,3]"));
        assertThat(three).hasSize(3);
        for (JsonNode r : three) {
            assertError(r, -32600, "InvalidRequest");
            assertThat(r.get("id").isNull()).isTrue();
        }
        assertSocketStillServes();
    }

    @Test
    void mixedBatchIsAnsweredInRequestOrderWithoutTheNotification() throws Exception {
        JsonNode reply = tree(ws.call("[\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42,23], \"id\": \"2\"},\n"
                + "  {\"foo\": \"boo\"},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"foo.get\", \"params\": {\"name\": \"myself\"}, \"id\": \"5\"},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"9\"}\n"
                + "]"));
        assertThat(reply.isArray()).isTrue();
        assertThat(reply).hasSize(5);
        assertThat(reply.get(0).get("result").asInt()).isEqualTo(7);
        assertThat(reply.get(0).get("id").asText()).isEqualTo("1");
        assertThat(reply.get(1).get("result").asInt()).isEqualTo(19);
        assertThat(reply.get(1).get("id").asText()).isEqualTo("2");
        assertError(reply.get(2), -32600, "InvalidRequest");
        assertThat(reply.get(2).get("id").isNull()).isTrue();
        assertError(reply.get(3), -32601, "MethodNotFound");
        assertThat(reply.get(3).get("id").asText()).isEqualTo("5");
        assertThat(reply.get(4).get("result").toString()).isEqualTo("[\"hello\",5]");
        assertThat(reply.get(4).get("id").asText()).isEqualTo("9");
    }

    @Test
    void batchOfOnlyNotificationsGetsNoFrame() throws Exception {
        ws.send("[{\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},"
                + "{\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}]");
        ws.send("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}");
        ws.send("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}");
        ws.send("{\"jsonrpc\": \"2.0\", \"method\": \"rpc.foo\"}");
        // the socket answers separate messages in any order, but a marker sent after them and
        // answered proves that they were all read; none of them may have produced a frame
        JsonNode marker = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"marker\"}"));
        assertThat(marker.get("id").asText()).isEqualTo("marker");
        assertThat(ws.poll(Duration.ofMillis(200))).isNull();
        assertThat(EXAMPLES.notifications()).hasSize(2);
    }

    @Test
    void batchLongerThanTheLimitIsOneInvalidRequestObjectNamingTheLimit() throws Exception {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i <= ServerConfig.DEFAULT_MAX_BATCH_LENGTH; i++) {
            b.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":").append(i).append('}');
        }
        JsonNode reply = tree(ws.call(b.append(']').toString()));
        assertError(reply, -32600, "InvalidRequest");
        assertThat(reply.get("id").isNull()).isTrue();
        assertThat(reply.path("error").path("message").asText()).contains("100");
        assertSocketStillServes();
    }

    @Test
    void fiveHundredLevelsOfNestingIsAParseError() throws Exception {
        JsonNode reply = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":"
                + "[".repeat(500) + "]".repeat(500) + ",\"id\":1}"));
        assertError(reply, -32700, "ParseError");
        assertThat(reply.get("id").isNull()).isTrue();
        assertSocketStillServes();
    }

    @Test
    void duplicateKeysAreAParseError() throws Exception {
        JsonNode reply = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1,\"id\":2}"));
        assertError(reply, -32700, "ParseError");
        assertThat(reply.get("id").isNull()).isTrue();
        assertSocketStillServes();
    }

    @Test
    void unknownAndReservedMethodsAreMethodNotFound() throws Exception {
        JsonNode unknown = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":\"u\"}"));
        assertError(unknown, -32601, "MethodNotFound");
        assertThat(unknown.get("id").asText()).isEqualTo("u");
        assertError(tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":\"r\"}")), -32601, "MethodNotFound");
        assertSocketStillServes();
    }

    @Test
    void unexpectedFailureInAMethodIsAnInternalServerErrorWithACorrelationId() throws Exception {
        for (String method : new String[] {"boom", "boom_later"}) {
            JsonNode reply = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"id\":7}"));
            assertError(reply, 16384, "InternalServerError");
            assertThat(reply.get("id").asInt()).isEqualTo(7);
            String message = reply.path("error").path("message").asText();
            assertThat(message).containsPattern("[0-9a-f]{16}").doesNotContain(ExampleMethods.SECRET_FAILURE);
            assertThat(reply.toString()).doesNotContain("DEADBEEF", "IllegalStateException");
        }
        assertSocketStillServes();
    }

    @Test
    void binaryMessageOfUtf8JsonIsAnsweredWithText() throws Exception {
        ws.sendBinary("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"\u00e9\"],\"id\":\"bin\"}"
                .getBytes(StandardCharsets.UTF_8));
        JsonNode reply = tree(ws.receive());
        assertThat(reply.get("id").asText()).isEqualTo("bin");
        assertThat(reply.get("result").get(0).asText()).isEqualTo("\u00e9");
        assertThat(ws.binaryMessages()).isZero();
    }

    @Test
    void fragmentedTextMessageIsOneRequest() throws Exception {
        ws.sendFragmented("{\"jsonrpc\":\"2.0\",", "\"method\":\"sum\",\"params\":[1,2,4]", ",\"id\":\"frag\"}");
        JsonNode reply = tree(ws.receive());
        assertThat(reply.get("result").asInt()).isEqualTo(7);
        assertThat(ws.poll(Duration.ofMillis(100))).isNull();
    }

    @Test
    void separateMessagesMayBeAnsweredOutOfOrder() throws Exception {
        ws.send("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":\"slow\"}");
        JsonNode fast = tree(ws.call("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"fast\"}"));
        assertThat(fast.get("id").asText()).isEqualTo("fast");
        EXAMPLES.nextPending().complete("finally");
        JsonNode slow = tree(ws.receive());
        assertThat(slow.get("id").asText()).isEqualTo("slow");
        assertThat(slow.get("result").asText()).isEqualTo("finally");
    }

    @Test
    void openWebSocketsAreCountedInMetrics() {
        // the server counts the socket on its own thread, after the client has seen the upgrade
        Eventually.until("the open socket counted", () -> server.metrics().scrape()
                .matches("(?s).*rpc_connections_open(\\{[^}]*\\})? [1-9].*"));
    }

    @Test
    void binaryMessageThatIsNotUtf8JsonIsAParseError() throws Exception {
        ws.sendBinary(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
        JsonNode reply = tree(ws.receive());
        assertError(reply, -32700, "ParseError");
        assertThat(reply.get("id").isNull()).isTrue();
        assertSocketStillServes();
    }

    @Test
    void textFrameWithInvalidUtf8ClosesWith1007AndTheServerServesOthers() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
            raw.sendFrame(RawWebSocket.TEXT, true, new byte[] {'"', (byte) 0xC3, 0x28, '"'});
            RawWebSocket.Frame close = raw.readSkippingPings();
            assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1007);
        }
        assertSocketStillServes();
    }

    @Test
    void rawClientGetsTextFramesForRepliesToBinaryMessages() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
            raw.sendFrame(RawWebSocket.BINARY, true,
                    "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame reply = raw.readSkippingPings();
            assertThat(reply.opcode()).isEqualTo(RawWebSocket.TEXT);
            assertThat(reply.fin()).isTrue();
            assertThat(tree(reply.text()).get("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void clientPingIsAnsweredWithAPongCarryingTheSamePayload() throws Exception {
        try (RawWebSocket raw = RawWebSocket.connect(server.port())) {
            raw.sendFrame(RawWebSocket.PING, true, "abc".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame pong = raw.readSkippingPings();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("abc");
        }
    }
}
