package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.server.testing.ExampleMethods;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §1 HTTP rows, §2 over POST /rpc, /health and /metrics, on a real socket. */
class HttpTransportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE_BYTES = 4096;
    /** The one web page origin the server allows. */
    private static final String PAGE = "https://app.example";
    private static final ExampleMethods EXAMPLES = new ExampleMethods();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RpcServer server;

    @BeforeAll
    static void startServer() {
        RpcServer.Builder b = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .maxMessageBytes(MAX_MESSAGE_BYTES).allowedOrigins(List.of(PAGE)).build());
        EXAMPLES.registerAll(b::method);
        server = b.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body, String contentType) throws Exception {
        return send(HttpRequest.newBuilder(uri("/rpc")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return post(body, "application/json");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static void assertError(JsonNode reply, int code, String name) {
        assertThat(reply.isObject()).as("reply %s is an object", reply).isTrue();
        assertThat(reply.path("error").path("code").asInt()).as("code in %s", reply).isEqualTo(code);
        assertThat(reply.path("error").path("data").path("name").asText()).isEqualTo(name);
    }

    @Test
    void requestIsAnsweredWith200AndJson() throws Exception {
        JsonNode reply = json(post("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}"));
        assertThat(reply.get("result").asInt()).isEqualTo(19);
        assertThat(reply.get("id").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json-rpc", "application/jsonrequest",
        "application/json; charset=utf-8", "application/json-rpc; charset=UTF-8", "application/jsonrequest;charset=utf-8",
        "Application/JSON"})
    void acceptedContentTypes(String contentType) throws Exception {
        assertThat(json(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}", contentType)).get("result"))
                .hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonx"})
    void otherContentTypesAre415(String contentType) throws Exception {
        assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}", contentType).statusCode()).isEqualTo(415);
    }

    @Test
    void missingContentTypeIs415() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/rpc"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}")));
        assertThat(r.statusCode()).isEqualTo(415);
    }

    @Test
    void getWithoutUpgradeIs405() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/rpc")).GET());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void putIs405() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/rpc")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void everyAnswerCarriesTheServersDateToTheSecond() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (HttpResponse<String> response : List.of(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}"),
                send(HttpRequest.newBuilder(uri("/health")).GET()), send(HttpRequest.newBuilder(uri("/nope")).GET()))) {
            String date = response.headers().firstValue("Date").orElseThrow(() -> new AssertionError("no Date header"));
            Instant stated = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertThat(stated).as(date).isBetween(before, Instant.now());
        }
    }

    @Test
    void aTrailingSlashServesJsonRpcAsWell() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/rpc/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}")));
        assertThat(json(response).get("result").get(0).asText()).isEqualTo("hello");
        WebSocket ws = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/rpc/"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        ws.abort();
        assertThat(send(HttpRequest.newBuilder(uri("/rpc//")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/nope")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyNotificationsGet204WithNoBody() throws Exception {
        HttpResponse<String> single = post("{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[1]}");
        assertThat(single.statusCode()).isEqualTo(204);
        assertThat(single.body()).isEmpty();
        HttpResponse<String> batch = post("[{\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},"
                + "{\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}]");
        assertThat(batch.statusCode()).isEqualTo(204);
        assertThat(batch.body()).isEmpty();
    }

    @Test
    void noContentReplyCarriesNoContentLength() throws Exception {
        HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
    }

    @Test
    void bodyOverTheSizeLimitIs413() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "x".repeat(MAX_MESSAGE_BYTES) + "\"],\"id\":1}";
        assertThat(post(big).statusCode()).isEqualTo(413);
        assertThat(json(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}")).get("id").asInt()).isEqualTo(1);
    }

    @Test
    void parseErrorIsA200WithAnErrorObject() throws Exception {
        JsonNode reply = json(post("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]"));
        assertError(reply, -32700, "ParseError");
        assertThat(reply.get("id").isNull()).isTrue();
    }

    @Test
    void emptyAndInvalidBatches() throws Exception {
        assertError(json(post("[]")), -32600, "InvalidRequest");
        JsonNode invalid = json(post("[1,2]"));
        assertThat(invalid.isArray()).isTrue();
        assertThat(invalid).hasSize(2);
        assertError(invalid.get(0), -32600, "InvalidRequest");
        assertError(invalid.get(1), -32600, "InvalidRequest");
    }

    @Test
    void mixedBatchKeepsRequestOrder() throws Exception {
        JsonNode reply = json(post("[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":\"2\"},{\"foo\":\"boo\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"foo.get\",\"params\":{\"name\":\"myself\"},\"id\":\"5\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"9\"}]"));
        assertThat(reply).hasSize(5);
        assertThat(reply.get(0).get("id").asText()).isEqualTo("1");
        assertThat(reply.get(1).get("id").asText()).isEqualTo("2");
        assertThat(reply.get(2).get("id").isNull()).isTrue();
        assertThat(reply.get(3).get("id").asText()).isEqualTo("5");
        assertThat(reply.get(4).get("id").asText()).isEqualTo("9");
    }

    @Test
    void idLiteralsAreEchoedExactly() throws Exception {
        assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":12345678901234567890}").body())
                .contains("\"id\":12345678901234567890}");
        assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1.5}").body()).contains("\"id\":1.5}");
    }

    @Test
    void limitsApplyOverHttpToo() throws Exception {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i <= ServerConfig.DEFAULT_MAX_BATCH_LENGTH; i++) {
            b.append(i == 0 ? "" : ",").append("1");
        }
        assertError(json(post(b.append(']').toString())), -32600, "InvalidRequest");
        assertError(json(post("[".repeat(500) + "]".repeat(500))), -32700, "ParseError");
        assertError(json(post("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"method\":\"m\",\"id\":1}")), -32700, "ParseError");
    }

    @Test
    void unexpectedFailureIsInternalServerErrorWithoutInternals() throws Exception {
        JsonNode reply = json(post("{\"jsonrpc\":\"2.0\",\"method\":\"boom\",\"id\":1}"));
        assertError(reply, 16384, "InternalServerError");
        assertThat(reply.path("error").path("message").asText()).containsPattern("[0-9a-f]{16}");
        assertThat(reply.toString()).doesNotContain(ExampleMethods.SECRET_FAILURE);
    }

    @Test
    void resultThatCannotBeWrittenIsInternalServerErrorNotAHang() throws Exception {
        JsonNode reply = json(post("{\"jsonrpc\":\"2.0\",\"method\":\"unwritable\",\"id\":1}"));
        assertError(reply, 16384, "InternalServerError");
        assertThat(reply.toString()).doesNotContain(ExampleMethods.SECRET_FAILURE);
    }

    @Test
    void healthIsUpWhileServing() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/health")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"status\":\"UP\"}"));
    }

    @Test
    void headOnHealthIs200WithoutABodyAndTheConnectionStaysUsable() throws Exception {
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/health")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(send(HttpRequest.newBuilder(uri("/health")).GET()).body()).contains("UP");
    }

    @Test
    void metricsArePrometheusTextWithRequestsAndConnections() throws Exception {
        json(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/metrics")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body()).contains("rpc_requests", "rpc_connections_open", "# TYPE");
        assertThat(r.body()).contains("rpc_requests_seconds_count{method=\"get_data\",outcome=\"ok\"}");
    }

    @Test
    void malformedTrafficAndUnknownMethodsAreCountedUnderUnknown() throws Exception {
        String parse = "rpc_requests_seconds_count{method=\"unknown\",outcome=\"ParseError\"}";
        String invalid = "rpc_requests_seconds_count{method=\"unknown\",outcome=\"InvalidRequest\"}";
        String notFound = "rpc_requests_seconds_count{method=\"unknown\",outcome=\"MethodNotFound\"}";
        String before = send(HttpRequest.newBuilder(uri("/metrics")).GET()).body();
        json(post("not json"));
        json(post("[1]"));
        json(post("{\"jsonrpc\":\"2.0\",\"method\":\"no.such.method.1\",\"id\":1}"));
        json(post("{\"jsonrpc\":\"2.0\",\"method\":\"no.such.method.2\",\"id\":1}"));
        String after = send(HttpRequest.newBuilder(uri("/metrics")).GET()).body();
        assertThat(count(after, parse) - count(before, parse)).isEqualTo(1);
        assertThat(count(after, invalid) - count(before, invalid)).isEqualTo(1);
        assertThat(count(after, notFound) - count(before, notFound)).isEqualTo(2);
        assertThat(after).doesNotContain("no.such.method");
    }

    /** The value of one series in Prometheus text, 0 when absent. */
    private static double count(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .findFirst().orElse(0);
    }

    @Test
    void keepAliveConnectionServesSeveralRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(json(post("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":" + i + "}")).get("id").asInt())
                    .isEqualTo(i);
        }
    }

    @Test
    void chunkedBodyOverTheSizeLimitIs413() throws Exception {
        byte[] big = ("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "c".repeat(MAX_MESSAGE_BYTES) + "\"],\"id\":1}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/rpc")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
        String slow = "{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":\"first\"}";
        String fast = "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"second\"}";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((rawPost(slow) + rawPost(fast)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            CompletableFuture<Object> pending = EXAMPLES.pending().poll(10, TimeUnit.SECONDS);
            assertThat(pending).isNotNull();
            // JsonRpcHttpHandlerTest shows on an embedded channel that the second is not even started meanwhile
            pending.complete("done");
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(JSON.readTree(readResponseBody(in)).get("id").asText()).isEqualTo("first");
            assertThat(JSON.readTree(readResponseBody(in)).get("id").asText()).isEqualTo("second");
        }
    }

    private String rawPost(String body) {
        return "POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Reads one HTTP response with a Content-Length and returns its body. */
    private static String readResponseBody(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in a response head: " + head);
            }
            head.write(b);
        }
        int length = -1;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        assertThat(length).as("Content-Length in %s", head).isNotNegative();
        byte[] body = new byte[length];
        in.readFully(body);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> postFrom(String origin) throws Exception {
        return send(HttpRequest.newBuilder(uri("/rpc")).header("Content-Type", "application/json").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}")));
    }

    @Test
    void postFromTheAllowedPageIsAnsweredWithCorsHeaders() throws Exception {
        HttpResponse<String> r = postFrom(PAGE);
        assertThat(json(r).get("result").asInt()).isEqualTo(19);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(PAGE);
        assertThat(r.headers().firstValue("Vary")).contains("Origin");
    }

    @Test
    void postWithoutOriginVariesOnOriginButAllowsNoPage() throws Exception {
        HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}");
        assertThat(json(r).get("result").asInt()).isEqualTo(19);
        assertThat(r.headers().firstValue("Vary")).contains("Origin");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "file://", "http://app.example"})
    void postFromAnyOtherPageIs403AndNotExecuted(String origin) throws Exception {
        int before = EXAMPLES.notifications().size();
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/rpc")).header("Content-Type", "application/json")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(EXAMPLES.notifications()).as("the refused notification did not run").hasSize(before);
    }

    @Test
    void preflightFromTheAllowedPageIsAnswered204() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/rpc")).header("Origin", PAGE)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(PAGE);
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).contains("Content-Type");
    }

    @Test
    void webSocketUpgradeFromAnotherPageIsRefusedWith403() {
        CompletableFuture<WebSocket> open = HTTP.newWebSocketBuilder().header("Origin", "http://evil.example")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/rpc"), new WebSocket.Listener() { });
        assertThat(open).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void webSocketUpgradeFromTheAllowedPageOpens() throws Exception {
        WebSocket ws = HTTP.newWebSocketBuilder().header("Origin", PAGE)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/rpc"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        try {
            assertThat(ws.isOutputClosed()).isFalse();
        } finally {
            ws.abort();
        }
    }
}
