package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.dispatch.RequestContext;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.ExampleMethods;
import dev.sessionrpc.server.testing.TestContexts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every example of the JSON-RPC 2.0 specification's section 7, run through the codec, the
 * processor and the dispatcher with the example methods. Error messages and {@code data} are
 * ours, so they are checked for presence ({@code data.name}) and otherwise left out of the
 * comparison; codes, ids, results and order must match the specification exactly.
 */
class JsonRpcSpecExamplesTest {

    private static final RequestRateLimiter NO_LIMIT = new RequestRateLimiter(0, System::nanoTime);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExampleMethods examples = new ExampleMethods();
    private final JsonRpcProcessor processor;
    private final RequestContext context = TestContexts.loopback();

    JsonRpcSpecExamplesTest() {
        Dispatcher.Builder methods = Dispatcher.builder(ServerMetrics.disabled());
        examples.registerAll(methods::method);
        processor = new JsonRpcProcessor(new JsonRpcCodec(), methods.build(), ServerConfig.DEFAULT_REQUEST_TIMEOUT, ServerMetrics.disabled(), AccessLog.OFF);
    }

    /** The reply text for one message, or null when nothing is owed. */
    private String exchange(String request) {
        ByteBuf in = Unpooled.copiedBuffer(request, StandardCharsets.UTF_8);
        DecodedMessage message;
        try {
            message = processor.decode(in);
        } finally {
            in.release();
        }
        JsonRpcProcessor.Reply reply;
        try {
            reply = processor.execute(message, context, NO_LIMIT).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        if (reply == null) {
            return null;
        }
        ByteBuf out = processor.encode(reply, UnpooledByteBufAllocator.DEFAULT);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    private void assertExchange(String request, String expected) throws Exception {
        String actual = exchange(request);
        assertThat(actual).as("reply to %s", request).isNotNull();
        JsonNode tree = JSON.readTree(actual);
        assertThat(normalize(tree)).isEqualTo(normalize(JSON.readTree(expected)));
    }

    /** Checks data.name on every error and drops message and data, which are ours to word. */
    private static JsonNode normalize(JsonNode reply) {
        JsonNode copy = reply.deepCopy();
        for (JsonNode r : copy.isArray() ? copy : JSON.createArrayNode().add(copy)) {
            if (r.has("error")) {
                ObjectNode error = (ObjectNode) r.get("error");
                if (error.has("data")) {
                    assertThat(error.path("data").path("name").isTextual()).as("data.name in %s", r).isTrue();
                }
                error.remove("message");
                error.remove("data");
            }
        }
        return copy;
    }

    @Test
    void rpcCallWithPositionalParameters() throws Exception {
        assertExchange("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}");
        assertExchange("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
                "{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}");
    }

    @Test
    void rpcCallWithNamedParameters() throws Exception {
        assertExchange("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}");
        assertExchange("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}");
    }

    @Test
    void notificationsGetNoReplyButAreExecuted() {
        assertThat(exchange("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}")).isNull();
        assertThat(exchange("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}")).isNull();
        assertThat(examples.notifications()).hasSize(1);
        assertThat(examples.notifications().peek().size()).isEqualTo(5);
    }

    @Test
    void rpcCallOfNonExistentMethod() throws Exception {
        assertExchange("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}");
    }

    @Test
    void rpcCallWithInvalidJson() throws Exception {
        assertExchange("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
    }

    @Test
    void rpcCallWithInvalidRequestObject() throws Exception {
        assertExchange("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @Test
    void rpcCallBatchWithInvalidJson() throws Exception {
        assertExchange("[\n  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"method\"\n]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
    }

    @Test
    void rpcCallWithAnEmptyArray() throws Exception {
        assertExchange("[]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @Test
    void rpcCallWithAnInvalidBatchButNotEmpty() throws Exception {
        assertExchange("[1]",
                "[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}]");
    }

    @Test
    void rpcCallWithInvalidBatch() throws Exception {
        assertExchange("[1,2,3]",
                "[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null},"
                        + "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null},"
                        + "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}]");
    }

    @Test
    void rpcCallBatch() throws Exception {
        assertExchange("[\n"
                        + "  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42,23], \"id\": \"2\"},\n"
                        + "  {\"foo\": \"boo\"},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"method\": \"foo.get\", \"params\": {\"name\": \"myself\"}, \"id\": \"5\"},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"9\"}\n"
                        + "]",
                "[\n"
                        + "  {\"jsonrpc\": \"2.0\", \"result\": 7, \"id\": \"1\"},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": \"2\"},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"5\"},\n"
                        + "  {\"jsonrpc\": \"2.0\", \"result\": [\"hello\", 5], \"id\": \"9\"}\n"
                        + "]");
        assertThat(examples.notifications()).hasSize(1);
    }

    @Test
    void rpcCallBatchAllNotifications() {
        assertThat(exchange("[\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}\n"
                + "]")).isNull();
        assertThat(examples.notifications()).hasSize(1);
    }

    @Test
    void batchRepliesFollowRequestOrderEvenWhenLaterOnesFinishFirst() throws Exception {
        var reply = processor.execute(processor.decode(Unpooled.wrappedBuffer(
                ("[{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":\"first\"},"
                        + "{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":\"second\"}]").getBytes(StandardCharsets.UTF_8))),
                context, NO_LIMIT).toCompletableFuture();
        var first = examples.nextPending();
        var second = examples.nextPending();
        second.complete("b");
        assertThat(reply).isNotDone();
        first.complete("a");
        JsonRpcProcessor.Reply r = reply.get(5, TimeUnit.SECONDS);
        assertThat(r.batch()).isTrue();
        assertThat(r.responses()).extracting(x -> x.id().text()).containsExactly("first", "second");
        assertThat(r.responses()).extracting(x -> x.result()).containsExactly("a", "b");
    }

    @Test
    void singleRequestReplyIsAnObjectAndBatchOfOneIsAnArray() throws Exception {
        assertThat(JSON.readTree(exchange("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}")).isObject()).isTrue();
        assertThat(JSON.readTree(exchange("[{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}]")).isArray()).isTrue();
    }

    @Test
    void batchWithOneNotificationAndOneRequestAnswersOnlyTheRequest() throws Exception {
        JsonNode reply = JSON.readTree(exchange("[{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[1]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":null}]"));
        assertThat(reply.isArray()).isTrue();
        assertThat(reply).hasSize(1);
        assertThat(reply.get(0).get("id").isNull()).isTrue();
        assertThat(reply.get(0).get("result").get(0).asText()).isEqualTo("hello");
    }

    @Test
    void weightCountsEveryRequestOfABatchAndAtLeastOne() {
        assertThat(JsonRpcProcessor.weight(processor.decode(Unpooled.wrappedBuffer("[1,2,3]".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo(3);
        assertThat(JsonRpcProcessor.weight(processor.decode(Unpooled.wrappedBuffer("nope".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo(1);
    }
}
