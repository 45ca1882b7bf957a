package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.EmbeddedSocketChannel;
import dev.sessionrpc.server.testing.ExampleMethods;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * JSON-RPC over POST: the request is released on every path, a connection runs one request at a
 * time, and every request gets a JSON-RPC reply however its method fails or stalls.
 */
class JsonRpcHttpHandlerTest {

    @Test
    void theRequestIsReleasedEvenWhenTheClientAddressCannotBeResolved() {
        ConnectionTracker tracker = new ConnectionTracker(1, 1, ServerMetrics.disabled());
        JsonRpcProcessor processor = new JsonRpcProcessor(new JsonRpcCodec(), Dispatcher.builder(ServerMetrics.disabled()).build(),
                ServerConfig.DEFAULT_REQUEST_TIMEOUT, ServerMetrics.disabled(), AccessLog.OFF);
        // an EmbeddedChannel's peer is no InetSocketAddress: resolving the client throws, as a
        // closed socket without an address did under the fuzzer
        EmbeddedChannel ch = new EmbeddedChannel(new JsonRpcHttpHandler(processor, tracker, new ClientAddresses(List.of())));
        FullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/rpc",
                Unpooled.copiedBuffer("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":1}", StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> ch.writeInbound(post)).isInstanceOf(ClassCastException.class);
            assertThat(post.refCnt()).as("the request's reference count").isZero();
            assertThat(tracker.inFlight()).as("nothing counted as in flight").isZero();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void pipelinedRequestsWaitForTheOneBeforeThemAndAreAnsweredInOrder() {
        ExampleMethods examples = new ExampleMethods();
        Dispatcher.Builder methods = Dispatcher.builder(ServerMetrics.disabled());
        examples.registerAll(methods::method);
        ConnectionTracker tracker = new ConnectionTracker(10, 10, ServerMetrics.disabled());
        EmbeddedSocketChannel ch = new EmbeddedSocketChannel(new RpcServerInitializer(ServerConfig.builder().build(),
                new JsonRpcProcessor(new JsonRpcCodec(), methods.build(), ServerConfig.DEFAULT_REQUEST_TIMEOUT, ServerMetrics.disabled(), AccessLog.OFF), tracker, null));
        try {
            ch.writeInbound(Unpooled.copiedBuffer(post("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":\"first\"}")
                    + post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"second\"}"), StandardCharsets.US_ASCII));
            ch.runPendingTasks();
            assertThat(examples.pending()).as("the first request is running").hasSize(1);
            assertThat((Object) ch.readOutbound()).as("nothing answered while the first runs").isNull();
            assertThat(tracker.inFlight()).as("the second is not started").isEqualTo(1);

            examples.pending().remove().complete("done");
            ch.runPendingTasks();
            String written = drain(ch);
            assertThat(written.indexOf("\"first\"")).as("first answered first in %s", written).isPositive()
                    .isLessThan(written.indexOf("\"second\""));
            assertThat(tracker.inFlight()).isZero();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aMethodWhoseStageBreaksIsAnsweredWithAJsonRpcErrorAsOverAWebSocket() {
        ExampleMethods examples = new ExampleMethods();
        EmbeddedSocketChannel ch = serving(examples, ServerConfig.DEFAULT_REQUEST_TIMEOUT);
        try {
            ch.writeInbound(Unpooled.copiedBuffer(post("{\"jsonrpc\":\"2.0\",\"method\":\"broken_stage\",\"id\":3}"),
                    StandardCharsets.US_ASCII));
            ch.runPendingTasks();
            String written = drain(ch);
            assertThat(written).startsWith("HTTP/1.1 200 OK").contains("\"id\":3")
                    .contains("\"code\":" + ErrorCode.INTERNAL_SERVER_ERROR.code())
                    .doesNotContain(ExampleMethods.SECRET_FAILURE);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aRequestNotDoneByItsDeadlineIsAnsweredAndTheConnectionReadsTheNextOne() {
        ExampleMethods examples = new ExampleMethods();
        Duration timeout = Duration.ofSeconds(2);
        EmbeddedSocketChannel ch = serving(examples, timeout);
        try {
            ch.freezeTime();
            ch.writeInbound(Unpooled.copiedBuffer(post("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":\"stuck\"}")
                    + post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"next\"}"), StandardCharsets.US_ASCII));
            ch.runPendingTasks();
            assertThat(drain(ch)).as("nothing before the deadline").isEmpty();
            ch.advanceTimeBy(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
            String written = drain(ch);
            assertThat(written).contains("\"stuck\"").contains("\"code\":" + ErrorCode.INTERNAL_SERVER_ERROR.code())
                    .contains("correlation id");
            assertThat(written.indexOf("\"next\"")).as("the next request answered after it in %s", written)
                    .isGreaterThan(written.indexOf("\"stuck\""));
        } finally {
            examples.pending().forEach(f -> f.complete("late"));
            ch.finishAndReleaseAll();
        }
    }

    private static EmbeddedSocketChannel serving(ExampleMethods examples, Duration requestTimeout) {
        Dispatcher.Builder methods = Dispatcher.builder(ServerMetrics.disabled());
        examples.registerAll(methods::method);
        return new EmbeddedSocketChannel(new RpcServerInitializer(ServerConfig.builder().build(),
                new JsonRpcProcessor(new JsonRpcCodec(), methods.build(), requestTimeout, ServerMetrics.disabled(), AccessLog.OFF),
                new ConnectionTracker(10, 10, ServerMetrics.disabled()), null));
    }

    private static String post(String body) {
        return "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
    }

    private static String drain(EmbeddedSocketChannel ch) {
        StringBuilder text = new StringBuilder();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            text.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return text.toString();
    }
}
