package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.SessionDescriptors;
import dev.sessionrpc.server.RpcServer;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.testing.MutableClock;
import dev.sessionrpc.server.testing.TestWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** The session contract of PROTOCOL.md §3 over real sockets, bad input first. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLIC = "4a44dc15364204a80fe80e9039455cc1608281820fe2b24f1e5233ade6af1dd5";
    private static final String PRIVATE = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final int CREATE_LIMIT = 1000;

    private final MutableClock clock = MutableClock.atStepStart();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<String> secretsSeen = new ArrayList<>();
    private final List<String> replies = new ArrayList<>();
    private RpcServer server;
    private Level previousLevel;

    @BeforeAll
    void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.sessionrpc");
        previousLevel = ours.getLevel();
        ours.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
        server = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).createLimit(CREATE_LIMIT).build())
                .clock(clock)
                .method("test.crash", (p, c) -> {
                    throw new IllegalStateException("boom " + PRIVATE);
                })
                .start();
    }

    @AfterAll
    void stopAndCheckSecretsNeverLeaked() {
        server.stop();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.sessionrpc")).setLevel(previousLevel);
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertThat(lines).as("log lines were captured").isNotEmpty();
        assertThat(secretsSeen).isNotEmpty();
        for (String challenge : secretsSeen) {
            assertThat(lines).noneMatch(line -> line.contains(challenge));
            assertThat(replies.stream().filter(r -> r.contains(challenge)))
                    .as("a challenge is returned once, by its session.create").hasSize(1);
        }
        // the only line allowed to hold the private hash is test.crash's own exception, thrown by this test
        assertThat(lines).noneMatch(line -> line.contains(PRIVATE) && !line.contains("boom"));
        assertThat(replies).noneMatch(r -> r.contains(PRIVATE));
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode call(String method, Object params) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method).put("id", 1);
        if (params != null) {
            request.set("params", JSON.valueToTree(params));
        }
        HttpResponse<String> response = post(JSON.writeValueAsString(request));
        assertThat(response.statusCode()).isEqualTo(200);
        replies.add(response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/rpc"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode createParams() {
        return JSON.createObjectNode().put("public_hash", PUBLIC).put("private_hash", PRIVATE)
                .put("platform", "Linux").put("name", "Example Client").put("version", "1.0.0");
    }

    private JsonNode createSession() throws Exception {
        JsonNode result = call("session.create", createParams()).get("result");
        secretsSeen.add(result.get("challenge").asText());
        return result;
    }

    private ObjectNode identification(JsonNode established, long answerTime) {
        String answer = new Challenge(established.get("challenge").asText(), PRIVATE).answerAt(answerTime);
        return JSON.createObjectNode().put("session_id", established.get("id").asText())
                .put("client_public_hash", PUBLIC).put("challenge_answer", answer);
    }

    private static void assertError(JsonNode reply, int code, String name, String parameter) {
        assertThat(reply.has("result")).as("no result in %s", reply).isFalse();
        JsonNode error = reply.get("error");
        assertThat(error.get("code").asInt()).as("code in %s", reply).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.at("/data/name").asText()).isEqualTo(name);
        if (parameter == null) {
            assertThat(error.at("/data/parameter").isMissingNode()).as("no parameter in %s", reply).isTrue();
        } else {
            assertThat(error.at("/data/parameter").asText()).isEqualTo(parameter);
        }
    }

    // ------------------------------------------------------------------ session.create

    static Stream<Arguments> badCreateParams() {
        return Stream.of(
                Arguments.of("public_hash", "abc", 8456, "InvalidClientPublicHash"),
                Arguments.of("public_hash", "z".repeat(64), 8456, "InvalidClientPublicHash"),
                Arguments.of("public_hash", 123, 8456, "InvalidClientPublicHash"),
                Arguments.of("public_hash", List.of("a"), 8456, "InvalidClientPublicHash"),
                Arguments.of("private_hash", "abc", 8457, "InvalidClientPrivateHash"),
                Arguments.of("private_hash", PUBLIC.toUpperCase(), 8457, "InvalidClientPrivateHash"),
                Arguments.of("private_hash", true, 8457, "InvalidClientPrivateHash"),
                Arguments.of("platform", "", 8458, "InvalidPlatform"),
                Arguments.of("platform", "   ", 8458, "InvalidPlatform"),
                Arguments.of("platform", "x".repeat(33), 8458, "InvalidPlatform"),
                Arguments.of("platform", "Linux\u0007", 8458, "InvalidPlatform"),
                Arguments.of("platform", "GNU/Linux-x86", 8458, "InvalidPlatform"),
                Arguments.of("platform", java.util.Map.of("os", "Linux"), 8458, "InvalidPlatform"),
                Arguments.of("name", "", 8460, "InvalidClientName"),
                Arguments.of("name", "my_client", 8460, "InvalidClientName"),
                Arguments.of("name", "y".repeat(33), 8460, "InvalidClientName"),
                Arguments.of("name", java.util.Map.of("a", 1), 8460, "InvalidClientName"),
                Arguments.of("version", "", 8459, "InvalidVersion"),
                Arguments.of("version", "latest", 8459, "InvalidVersion"),
                Arguments.of("version", "1." + "0".repeat(31), 8459, "InvalidVersion"),
                Arguments.of("version", 1.0, 8459, "InvalidVersion"));
    }

    @ParameterizedTest(name = "{0} = {1} -> {3}")
    @MethodSource("badCreateParams")
    void createRefusesEachBadParamWithItsOwnError(String param, Object value, int code, String name) throws Exception {
        ObjectNode params = createParams();
        params.set(param, JSON.valueToTree(value));
        assertError(call("session.create", params), code, name, param);
    }

    @ParameterizedTest
    @MethodSource("createParamNames")
    void createReportsAMissingOrNullParamAsMissingParameter(String param) throws Exception {
        ObjectNode missing = createParams();
        missing.remove(param);
        assertError(call("session.create", missing), -32602, "MissingParameter", param);
        ObjectNode nulled = createParams();
        nulled.putNull(param);
        assertError(call("session.create", nulled), -32602, "MissingParameter", param);
    }

    static Stream<String> createParamNames() {
        return SessionDescriptors.CREATE_PARAMS.stream();
    }

    @Test
    void createReportsTheFirstFailureInTableOrder() throws Exception {
        ObjectNode params = JSON.createObjectNode().put("public_hash", "bad").put("version", "bad");
        assertError(call("session.create", params), 8456, "InvalidClientPublicHash", "public_hash");
        params = createParams().put("platform", "bad_platform").put("name", "bad_name").put("version", "bad");
        assertError(call("session.create", params), 8458, "InvalidPlatform", "platform");
        params = createParams().put("name", "bad_name");
        params.remove("platform");
        assertError(call("session.create", params), -32602, "MissingParameter", "platform");
        assertError(call("session.create", null), -32602, "MissingParameter", "public_hash");
    }

    @Test
    void createAcceptsUpperCaseHashesAndPositionalParams() throws Exception {
        JsonNode result = call("session.create",
                List.of(PUBLIC.toUpperCase(), PRIVATE, "Windows", "Desktop", "1.0rc1")).get("result");
        assertThat(result.get("id").asText()).matches("[0-9a-f]{64}");
        assertThat(result.get("challenge").asText()).matches("[A-Z2-7]{64}");
        secretsSeen.add(result.get("challenge").asText());
        JsonNode session = call("session.get", List.of(identification(result, clock.epochSecond()))).get("result");
        assertThat(session.at("/client/platform").asText()).isEqualTo("Windows");
        assertThat(session.at("/client/version").asText()).isEqualTo("1.0rc1");
    }

    @Test
    void tooManyPositionalParamsAreInvalidParams() throws Exception {
        assertError(call("session.create", List.of(PUBLIC, PRIVATE, "a", "b", "1.0", "extra")), -32602, "InvalidParams", null);
    }

    // ------------------------------------------------------------------ session.get

    @Test
    void getReturnsTheSessionAndNeverItsSecrets() throws Exception {
        JsonNode established = createSession();
        JsonNode reply = call("session.get", java.util.Map.of("session_identification",
                identification(established, clock.epochSecond())));
        JsonNode session = reply.get("result");
        List<String> names = new ArrayList<>();
        session.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "flags", "authenticated", "created", "expires", "last_active", "client");
        assertThat(session.get("id").asText()).isEqualTo(established.get("id").asText());
        assertThat(session.get("expires").asLong()).isEqualTo(clock.epochSecond() + 600);
        assertThat(reply.toString()).doesNotContain(PRIVATE).doesNotContain(established.get("challenge").asText());
    }

    @Test
    void getChecksRunInTheDocumentedOrder() throws Exception {
        JsonNode established = createSession();
        long now = clock.epochSecond();
        String p = "session_identification";

        // 1. missing
        assertError(call("session.get", JSON.createObjectNode()), -32602, "MissingParameter", p);
        assertError(call("session.get", JSON.createObjectNode().putNull(p)), -32602, "MissingParameter", p);
        // 2. not an object, or a member missing / not a string
        assertError(call("session.get", java.util.Map.of(p, List.of())), 8461, "InvalidSessionIdentification", p);
        assertError(call("session.get", java.util.Map.of(p, "abc")), 8461, "InvalidSessionIdentification", p);
        for (String member : List.of("session_id", "client_public_hash", "challenge_answer")) {
            ObjectNode id = identification(established, now);
            id.remove(member);
            assertError(call("session.get", java.util.Map.of(p, id)), 8461, "InvalidSessionIdentification", p + "." + member);
            id.put(member, 42);
            assertError(call("session.get", java.util.Map.of(p, id)), 8461, "InvalidSessionIdentification", p + "." + member);
        }
        // 3. public hash format (checked before the answer's format)
        ObjectNode id = identification(established, now).put("client_public_hash", "xyz").put("challenge_answer", "short");
        assertError(call("session.get", java.util.Map.of(p, id)), 8456, "InvalidClientPublicHash", p + ".client_public_hash");
        // 4. answer format (checked before the session lookup)
        id = identification(established, now).put("challenge_answer", "abc").put("session_id", "nope");
        assertError(call("session.get", java.util.Map.of(p, id)), 8711, "BadSessionChallengeAnswer", p + ".challenge_answer");
        // 5. unknown id, malformed id, or public hash of another client: one answer for all
        for (ObjectNode unknown : List.of(identification(established, now).put("session_id", "0".repeat(64)),
                identification(established, now).put("session_id", "not-an-id"),
                identification(established, now).put("client_public_hash", "f".repeat(64)))) {
            JsonNode reply = call("session.get", java.util.Map.of(p, unknown));
            assertError(reply, 8707, "SessionNotFound", p + ".session_id");
        }
        // 6. wrong answer
        id = identification(established, now).put("challenge_answer", "0".repeat(40));
        assertError(call("session.get", java.util.Map.of(p, id)), 8711, "BadSessionChallengeAnswer", p + ".challenge_answer");
        // 8. and then it works
        assertThat(call("session.get", java.util.Map.of(p, identification(established, now))).has("result")).isTrue();
    }

    @Test
    void expiredSessionsAreExpiredDuringGraceAndUnknownAfter() throws Exception {
        JsonNode established = createSession();
        clock.advance(Duration.ofSeconds(601));
        String p = "session_identification";
        assertError(call("session.get", java.util.Map.of(p, identification(established, clock.epochSecond()))),
                8714, "SessionExpired", p + ".session_id");
        clock.advance(Duration.ofSeconds(3600));
        assertError(call("session.get", java.util.Map.of(p, identification(established, clock.epochSecond()))),
                8707, "SessionNotFound", p + ".session_id");
    }

    @Test
    void clockSkewWithinTwoStepsIsAcceptedAndThreeStepsRefused() throws Exception {
        JsonNode established = createSession();
        long now = clock.epochSecond();
        String p = "session_identification";
        assertThat(call("session.get", java.util.Map.of(p, identification(established, now - 60))).has("result")).isTrue();
        assertThat(call("session.get", java.util.Map.of(p, identification(established, now + 60))).has("result")).isTrue();
        assertError(call("session.get", java.util.Map.of(p, identification(established, now + 90))),
                8711, "BadSessionChallengeAnswer", p + ".challenge_answer");
        ObjectNode upper = identification(established, now);
        upper.put("challenge_answer", upper.get("challenge_answer").asText().toUpperCase());
        assertThat(call("session.get", java.util.Map.of(p, upper)).has("result")).isTrue();
    }

    @Test
    void unexpectedFailureIsInternalServerErrorWithACorrelationIdAndNoDetail() throws Exception {
        JsonNode reply = call("test.crash", null);
        assertError(reply, 16384, "InternalServerError", null);
        assertThat(reply.at("/error/message").asText()).matches(".*correlation id [0-9a-f]{16}.*").doesNotContain("boom");
    }

    // ------------------------------------------------------------------ flows

    @Test
    void socialvoidPyStyleFlowOverHttpPost() throws Exception {
        JsonNode info = call("help.get_server_information", null).get("result");
        assertThat(info.get("unauthorized_session_ttl").asInt()).isEqualTo(600);
        JsonNode established = createSession();
        JsonNode session = call("session.get", java.util.Map.of("session_identification",
                identification(established, clock.epochSecond()))).get("result");
        assertThat(session.get("authenticated").asBoolean()).isFalse();

        String logout = "{\"jsonrpc\":\"2.0\",\"method\":\"session.logout\",\"params\":{\"session_identification\":"
                + JSON.writeValueAsString(identification(established, clock.epochSecond())) + "}}";
        HttpResponse<String> response = post(logout);
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();

        assertThat(call("session.get", java.util.Map.of("session_identification",
                identification(established, clock.epochSecond()))).has("result")).as("logout notification did no harm").isTrue();
    }

    @Test
    void sessionFlowOverWebSocket() throws Exception {
        try (TestWebSocket ws = TestWebSocket.connect(server.port())) {
            ObjectNode create = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "session.create").put("id", "c");
            create.set("params", createParams());
            String created = ws.call(JSON.writeValueAsString(create));
            JsonNode established = JSON.readTree(created).get("result");
            secretsSeen.add(established.get("challenge").asText());

            ObjectNode get = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "session.get").put("id", "g");
            get.set("params", JSON.createObjectNode().set("session_identification",
                    identification(established, clock.epochSecond())));
            String got = ws.call(JSON.writeValueAsString(get));
            replies.add(created);
            replies.add(got);
            JsonNode reply = JSON.readTree(got);
            assertThat(reply.get("id").asText()).isEqualTo("g");
            assertThat(reply.at("/result/id").asText()).isEqualTo(established.get("id").asText());
        }
    }

}
