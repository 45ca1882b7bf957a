package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The POST handler owns the request it is given: released on every path, failures included. */
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
}
