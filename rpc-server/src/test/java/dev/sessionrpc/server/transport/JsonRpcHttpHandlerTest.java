package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON-RPC over POST: the request is released on every path, and a connection runs one request at a time. */
class JsonRpcHttpHandlerTest {

    @Test
    void theRequestIsReleasedEvenWhenTheClientAddressCannotBeResolved() {
        ConnectionTracker tracker = new ConnectionTracker(1, 1, ServerMetrics.disabled());
        JsonRpcProcessor processor = new JsonRpcProcessor(new JsonRpcCodec(), Dispatcher.builder(ServerMetrics.disabled()).build());
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
                new JsonRpcProcessor(new JsonRpcCodec(), methods.build()), tracker, null));
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
