package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP front door on an {@link EmbeddedChannel}, for what a real socket cannot catch in the
 * act: the answers while the server drains, and which WebSocket versions may upgrade.
 */
class RouteHandlerTest {

    private final ConnectionTracker tracker = new ConnectionTracker(1, 1, ServerMetrics.disabled());
    private final EmbeddedChannel ch = new EmbeddedChannel(
            new RouteHandler(tracker, new OperatorEndpoints(tracker, ServerMetrics.disabled(), null),
                    new ClientAddresses(List.of()), new AddressGroups(64)));

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private static FullHttpRequest get(String uri) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set(HttpHeaderNames.HOST, "localhost");
        return r;
    }

    private static FullHttpRequest upgrade() {
        return upgrade("13");
    }

    private static FullHttpRequest upgrade(String version) {
        FullHttpRequest r = get("/rpc");
        r.headers().set(HttpHeaderNames.CONNECTION, "keep-alive, Upgrade");
        r.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, version);
        return r;
    }

    private static FullHttpRequest post(String contentType) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/rpc",
                Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return r;
    }

    /** Sends a request and returns the status the handler answered with (the response is released). */
    private int status(FullHttpRequest request) {
        ch.writeInbound(request);
        FullHttpResponse response = ch.readOutbound();
        assertThat(response).as("a response").isNotNull();
        try {
            return response.status().code();
        } finally {
            response.release();
        }
    }

    private String body(FullHttpRequest request) {
        ch.writeInbound(request);
        FullHttpResponse response = ch.readOutbound();
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void healthIsUpUntilDrainingThen503() {
        assertThat(body(get("/health"))).isEqualTo("{\"status\":\"UP\"}");
        tracker.startDraining();
        assertThat(status(get("/health"))).isEqualTo(503);
    }

    @Test
    void postWhileDrainingIs503() {
        tracker.startDraining();
        assertThat(status(post("application/json"))).isEqualTo(503);
    }

    @Test
    void upgradeWhileDrainingIsRefusedWith503() {
        tracker.startDraining();
        assertThat(status(upgrade())).isEqualTo(503);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "7", "8", "12", "14", "13, 8"})
    void upgradeOfAnyOtherVersionIs426NamingVersion13(String version) {
        FullHttpRequest request = upgrade(version);
        if (version.isEmpty()) {
            request.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_VERSION); // Hixie-76 sends none
        }
        ch.writeInbound(request);
        FullHttpResponse response = ch.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(426);
            assertThat(response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION)).isEqualTo("13");
        } finally {
            response.release();
        }
        assertThat((Object) ch.readInbound()).as("not passed on").isNull();
        assertThat(ch.isOpen()).as("closed after the refusal").isFalse();
    }

    @Test
    void acceptedPostIsPassedOnUnanswered() {
        FullHttpRequest post = post("application/json-rpc; charset=utf-8");
        ch.writeInbound(post);
        Object passed = ch.readInbound();
        assertThat(passed).isSameAs(post);
        ReferenceCountUtil.release(passed);
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void metricsSwitchedOffAre404() {
        assertThat(status(get("/metrics"))).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/rpc%", "/hea%zzlth", "%/rpc"})
    void aMalformedPercentEscapeIs400NotAnUnexpectedError(String uri) {
        assertThat(body(get(uri))).contains("malformed request target");
        assertThat(ch.isOpen()).as("closed after the 400").isFalse();
    }
}
