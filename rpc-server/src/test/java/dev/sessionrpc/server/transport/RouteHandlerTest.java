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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP front door on an {@link EmbeddedChannel}, for what a real socket cannot catch in the
 * act: the answers while the server drains, which WebSocket versions may upgrade, and which
 * browser pages (by {@code Origin}) may call {@code /rpc}.
 */
class RouteHandlerTest {

    private final ConnectionTracker tracker = new ConnectionTracker(1, 1, ServerMetrics.disabled());
    private static final String ALLOWED = "https://app.example";
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final EmbeddedChannel ch = channel(AllowedOrigins.of(List.of(ALLOWED, "http://127.0.0.1:8000")));

    private EmbeddedChannel channel(AllowedOrigins origins) {
        EmbeddedChannel channel = new EmbeddedChannel(
                new RouteHandler(tracker, new OperatorEndpoints(tracker, ServerMetrics.disabled(), null),
                        new ClientAddresses(List.of()), new AddressGroups(64), origins)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return PEER; // a passed-on upgrade records the client's address
            }
        };
        channels.add(channel);
        return channel;
    }

    @AfterEach
    void release() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
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

    private static FullHttpRequest withOrigin(FullHttpRequest request, String... origins) {
        for (String origin : origins) {
            request.headers().add(HttpHeaderNames.ORIGIN, origin);
        }
        return request;
    }

    private static FullHttpRequest preflight(String origin, String method) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/rpc");
        r.headers().set(HttpHeaderNames.HOST, "localhost");
        r.headers().set(HttpHeaderNames.ORIGIN, origin);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, method);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, "content-type");
        return r;
    }

    /** Sends a request that the handler must answer itself, and returns the answer (the caller releases it). */
    private FullHttpResponse answer(EmbeddedChannel channel, FullHttpRequest request) {
        channel.writeInbound(request);
        assertThat((Object) channel.readInbound()).as("not passed on").isNull();
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("a response").isNotNull();
        return response;
    }

    private void assertPassedOn(EmbeddedChannel channel, FullHttpRequest request) {
        channel.writeInbound(request);
        Object passed = channel.readInbound();
        assertThat(passed).isSameAs(request);
        ReferenceCountUtil.release(passed);
        assertThat((Object) channel.readOutbound()).as("no answer of its own").isNull();
    }

    private void assertForbidden(EmbeddedChannel channel, FullHttpRequest request) {
        FullHttpResponse response = answer(channel, request);
        try {
            assertThat(response.status().code()).isEqualTo(403);
            assertThat(response.headers().get(HttpHeaderNames.VARY)).isEqualTo("Origin");
            assertThat(response.headers().contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
        } finally {
            response.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ALLOWED, "HTTPS://App.Example", "https://app.example:443", "http://127.0.0.1:8000"})
    void upgradeFromAnAllowedOriginIsPassedOn(String origin) {
        assertPassedOn(ch, withOrigin(upgrade(), origin));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "file://", "http://app.example", "https://app.example:8443",
        "https://app.example.evil.example", "https://app.example/", "http://127.0.0.1:8001", "http://localhost:8000", ""})
    void upgradeFromAnyOtherOriginIsRefusedWith403AndClosed(String origin) {
        assertForbidden(ch, withOrigin(upgrade(), origin));
        assertThat(ch.isOpen()).as("closed after the refusal").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "file://"})
    void postFromAnOriginNotAllowedIsRefusedWith403(String origin) {
        assertForbidden(ch, withOrigin(post("application/json"), origin));
        assertThat(ch.isOpen()).as("a refused POST keeps its keep-alive connection").isTrue();
    }

    @Test
    void postFromAnAllowedOriginIsPassedOn() {
        assertPassedOn(ch, withOrigin(post("application/json"), ALLOWED));
    }

    @Test
    void requestsWithoutOriginAreServedWhateverTheList() {
        assertPassedOn(channel(AllowedOrigins.NONE), upgrade());
        assertPassedOn(channel(AllowedOrigins.NONE), post("application/json"));
    }

    @Test
    void byDefaultNoBrowserOriginMayUpgradeOrPost() {
        assertForbidden(channel(AllowedOrigins.NONE), withOrigin(upgrade(), "http://127.0.0.1:8080"));
        assertForbidden(channel(AllowedOrigins.NONE), withOrigin(post("application/json"), "http://127.0.0.1:8080"));
    }

    @Test
    void twoOriginHeadersAreRefusedEvenWhenBothAreAllowed() {
        assertForbidden(ch, withOrigin(post("application/json"), ALLOWED, ALLOWED));
        assertForbidden(channel(AllowedOrigins.of(List.of("*"))), withOrigin(upgrade(), ALLOWED, "http://evil.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "file://"})
    void starAllowsEveryOriginNullAndFileIncluded(String origin) {
        EmbeddedChannel any = channel(AllowedOrigins.of(List.of("*")));
        assertPassedOn(any, withOrigin(upgrade(), origin));
        assertPassedOn(any, withOrigin(post("application/json"), origin));
    }

    @Test
    void preflightFromAnAllowedOriginPermitsPostWithAJsonContentType() {
        FullHttpResponse response = answer(ch, preflight(ALLOWED, "POST"));
        try {
            assertThat(response.status().code()).isEqualTo(204);
            assertThat(response.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo(ALLOWED);
            assertThat(response.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isEqualTo("POST");
            assertThat(response.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).isEqualTo("Content-Type");
            assertThat(response.headers().getInt(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE)).isPositive();
            assertThat(response.headers().get(HttpHeaderNames.VARY)).isEqualTo("Origin");
            assertThat(response.content().readableBytes()).isZero();
        } finally {
            response.release();
        }
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void preflightEchoesTheOriginAsTheBrowserSentItUnderStar() {
        FullHttpResponse response = answer(channel(AllowedOrigins.of(List.of("*"))), preflight("http://evil.example", "POST"));
        try {
            assertThat(response.status().code()).isEqualTo(204);
            assertThat(response.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("http://evil.example");
        } finally {
            response.release();
        }
    }

    @Test
    void preflightFromAnOriginNotAllowedIs403() {
        assertForbidden(ch, preflight("http://evil.example", "POST"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE", "GET", "PATCH"})
    void preflightForAMethodOtherThanPostIs403(String method) {
        assertForbidden(ch, preflight(ALLOWED, method));
    }

    @Test
    void optionsWithoutOriginIsNoPreflightAndStays405() {
        FullHttpRequest options = preflight(ALLOWED, "POST");
        options.headers().remove(HttpHeaderNames.ORIGIN);
        FullHttpResponse response = answer(ch, options);
        try {
            assertThat(response.status().code()).isEqualTo(405);
            assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
        } finally {
            response.release();
        }
    }

    @Test
    void everyAnswerOnRpcVariesOnOrigin() {
        List<FullHttpRequest> requests = List.of(get("/rpc"), post("text/plain"), upgrade("8"),
                withOrigin(post("text/plain"), ALLOWED));
        for (FullHttpRequest request : requests) {
            EmbeddedChannel channel = channel(AllowedOrigins.of(List.of(ALLOWED)));
            FullHttpResponse response = answer(channel, request);
            try {
                assertThat(response.headers().get(HttpHeaderNames.VARY)).as("Vary of the %s answer", response.status())
                        .isEqualTo("Origin");
            } finally {
                response.release();
            }
        }
    }

    @Test
    void healthAndMetricsIgnoreOrigin() {
        FullHttpResponse response = answer(ch, withOrigin(get("/health"), "http://evil.example"));
        try {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().contains(HttpHeaderNames.VARY)).isFalse();
        } finally {
            response.release();
        }
    }
}
