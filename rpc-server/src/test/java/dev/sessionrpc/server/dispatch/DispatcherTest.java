package dev.sessionrpc.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.TreeTraversingParser;
import dev.sessionrpc.protocol.CodecLimits;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonMarshaller;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.MethodDescriptor;
import dev.sessionrpc.protocol.RequestId;
import dev.sessionrpc.protocol.RpcException;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.ExampleMethods;
import dev.sessionrpc.server.testing.TestContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Method lookup, reserved names, notifications and failure mapping. */
class DispatcherTest {

    private static final RequestContext CONTEXT = TestContexts.loopback();

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final AtomicInteger calls = new AtomicInteger();
    private final Dispatcher dispatcher;

    DispatcherTest() {
        Dispatcher.Builder b = Dispatcher.builder(metrics);
        new ExampleMethods().registerAll(b::method);
        b.method("count", (params, ctx) -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("counted");
        });
        b.method("typed_error", (params, ctx) -> {
            throw new RpcException(ErrorCode.INVALID_PLATFORM, "Invalid platform", "platform");
        });
        b.method("null_stage", (params, ctx) -> null);
        b.method("null_message", (params, ctx) -> {
            throw new RpcException(ErrorCode.INVALID_PLATFORM, null);
        });
        dispatcher = b.build();
    }

    private JsonRpcResponse call(String method, RequestId id) throws Exception {
        return dispatcher.dispatch(new JsonRpcRequest(id, method, null), CONTEXT).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void knownMethodIsCalledAndItsResultReturnedUnderTheRequestId() throws Exception {
        JsonRpcResponse r = call("count", RequestId.ofString("a"));
        assertThat(r.result()).isEqualTo("counted");
        assertThat(r.id()).isEqualTo(RequestId.ofString("a"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void unknownMethodIsMethodNotFound() throws Exception {
        JsonRpcResponse r = call("nope", RequestId.of(1));
        assertThat(r.error().code()).isEqualTo(-32601);
        assertThat(r.error().name()).isEqualTo("MethodNotFound");
        assertThat(r.id()).isEqualTo(RequestId.of(1));
    }

    @Test
    void reservedRpcPrefixIsMethodNotFound() throws Exception {
        JsonRpcResponse r = call("rpc.discover", RequestId.of(1));
        assertThat(r.error().code()).isEqualTo(-32601);
    }

    @Test
    void reservedNamesCannotBeRegistered() {
        assertThatThrownBy(() -> Dispatcher.builder(metrics).method("rpc.x", (p, c) -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMethodCannotBeRegisteredTwice() {
        Dispatcher.Builder b = Dispatcher.builder(metrics).method("x", (p, c) -> null);
        assertThatThrownBy(() -> b.method("x", (p, c) -> null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notificationIsExecutedButAnsweredWithNothing() throws Exception {
        assertThat(call("count", null)).isNull();
        assertThat(calls).hasValue(1);
    }

    @Test
    void notificationToAnUnknownOrReservedMethodIsAnsweredWithNothing() throws Exception {
        assertThat(call("nope", null)).isNull();
        assertThat(call("rpc.nope", null)).isNull();
    }

    @Test
    void failingNotificationIsAnsweredWithNothing() throws Exception {
        assertThat(call("boom", null)).isNull();
        assertThat(call("typed_error", null)).isNull();
    }

    @Test
    void typedErrorKeepsItsCatalogueEntryAndParameter() throws Exception {
        JsonRpcResponse r = call("typed_error", RequestId.of(2));
        assertThat(r.error().code()).isEqualTo(8458);
        assertThat(r.error().parameter()).isEqualTo("platform");
    }

    @Test
    void methodThatThrowsIsAnInternalServerErrorWithoutItsMessage() throws Exception {
        for (String method : new String[] {"boom", "boom_later"}) {
            JsonRpcResponse r = call(method, RequestId.of(3));
            assertThat(r.error().code()).as(method).isEqualTo(16384);
            assertThat(r.error().message()).as(method).doesNotContain(ExampleMethods.SECRET_FAILURE);
            assertThat(r.id()).isEqualTo(RequestId.of(3));
        }
    }

    @Test
    void methodThatReturnsNoStageIsAnInternalServerErrorNotACrash() throws Exception {
        JsonRpcResponse r = call("null_stage", RequestId.of(4));
        assertThat(r.error().code()).isEqualTo(16384);
    }

    @Test
    void errorThatCannotBeTurnedIntoAWireErrorIsStillAnswered() throws Exception {
        JsonRpcResponse r = call("null_message", RequestId.of(5));
        assertThat(r.isError()).isTrue();
        assertThat(r.error().code()).isEqualTo(16384);
        assertThat(r.id()).isEqualTo(RequestId.of(5));
    }

    @Test
    void requestsAreCountedByMethodAndOutcomeWithUnknownNamesFolded() throws Exception {
        call("count", RequestId.of(1));
        call("typed_error", RequestId.of(1));
        call("no_such_method_" + System.nanoTime(), RequestId.of(1));
        String scrape = metrics.scrape();
        assertThat(scrape).contains("rpc_requests_seconds_count{method=\"count\",outcome=\"ok\"} 1");
        assertThat(scrape).contains("rpc_requests_seconds_count{method=\"typed_error\",outcome=\"InvalidPlatform\"} 1");
        assertThat(scrape).contains("rpc_requests_seconds_count{method=\"unknown\",outcome=\"MethodNotFound\"} 1");
        assertThat(scrape).doesNotContain("no_such_method_");
    }

    @Test
    void aMethodsTimersAreResolvedWhenItIsRegistered() {
        assertThat(metrics.scrape()).contains("rpc_requests_seconds_count{method=\"count\",outcome=\"ok\"} 0");
    }

    @Test
    void aTypedMethodReadsItsParamsFromTheRequestBytesNotFromATree() throws Exception {
        List<String> seen = new ArrayList<>();
        JsonMarshaller<String> firstMember = new JsonMarshaller<>() {
            @Override
            public String read(JsonParser p) throws IOException {
                seen.add(p.currentToken() + " at byte " + p.currentTokenLocation().getByteOffset()
                        + (p instanceof TreeTraversingParser ? " of a tree" : ""));
                return p.nextFieldName();
            }

            @Override
            public void write(String value, JsonGenerator g) throws IOException {
                g.writeString(value);
            }
        };
        MethodDescriptor<String, String> echo = new MethodDescriptor<>("echo_name", firstMember, firstMember);
        Dispatcher typed = Dispatcher.builder(metrics)
                .method(echo, (name, ctx) -> CompletableFuture.completedFuture(name + "!"))
                .build();
        byte[] message = "{\"jsonrpc\":\"2.0\",\"method\":\"echo_name\",\"params\":{\"first\":[1,{}]},\"id\":7}"
                .getBytes(StandardCharsets.UTF_8);
        JsonRpcRequest request = new JsonRpcCodec().decode(message).entries().get(0).request();

        JsonRpcResponse r = typed.dispatch(request, CONTEXT).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(seen).containsExactly("START_OBJECT at byte 0");
        assertThat(r.result()).isEqualTo("first!");
        assertThat(r.writer()).isSameAs(firstMember);
    }

    @Test
    void paramsTheServersCodecReadInItsPassAreNotReadAgainAndARefusalIsTheMethodsError() throws Exception {
        List<String> seen = new ArrayList<>();
        JsonMarshaller<String> firstMember = new JsonMarshaller<>() {
            @Override
            public String read(JsonParser p) throws IOException {
                seen.add(p.currentToken() + " at byte " + p.currentTokenLocation().getByteOffset());
                String name = p.nextFieldName();
                if (name.equals("bad")) {
                    throw new RpcException(ErrorCode.INVALID_PARAMS, "no bad names", "bad");
                }
                return name;
            }

            @Override
            public void write(String value, JsonGenerator g) throws IOException {
                g.writeString(value);
            }
        };
        Dispatcher typed = Dispatcher.builder(metrics)
                .method(new MethodDescriptor<>("echo_name", firstMember, firstMember),
                        (name, ctx) -> CompletableFuture.completedFuture(name + "!"))
                .build();
        JsonRpcCodec serverCodec = new JsonRpcCodec(CodecLimits.DEFAULTS, typed::paramsReader);

        JsonRpcResponse ok = typed.dispatch(serverCodec.decode(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"echo_name\",\"params\":{\"first\":[1,{}]},\"id\":7}"
                                .getBytes(StandardCharsets.UTF_8)).entries().get(0).request(), CONTEXT)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        JsonRpcResponse refused = typed.dispatch(serverCodec.decode(
                        "{\"jsonrpc\":\"2.0\",\"method\":\"echo_name\",\"params\":{\"bad\":1},\"id\":8}"
                                .getBytes(StandardCharsets.UTF_8)).entries().get(0).request(), CONTEXT)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(seen).containsExactly("START_OBJECT at byte 47", "START_OBJECT at byte 47");
        assertThat(ok.result()).isEqualTo("first!");
        assertThat(refused.error().name()).isEqualTo("InvalidParams");
        assertThat(refused.error().data()).containsEntry("parameter", "bad");
    }
}
