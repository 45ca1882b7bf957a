package dev.sessionrpc.client.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sessionrpc.client.conformance.Check.Group;
import dev.sessionrpc.client.conformance.Expect.Err;
import dev.sessionrpc.client.conformance.Expect.Id;
import dev.sessionrpc.protocol.session.Challenge;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The session contract of PROTOCOL.md §3 and §4, seen from outside: session.create's happy path
 * and each of its parameter errors in table order, session.get's happy path with a computed
 * challenge answer and each of its checks in list order, and help.get_server_information's
 * members. Creates two sessions per transport. Expiry cannot be checked from outside (it needs
 * the server's clock), so it is left to the project's own tests.
 */
final class SessionChecks {

    private static final Group G = Group.SESSION;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Z2-7]{64}");
    private static final String[] INFO_STRINGS = {"network_name", "protocol_version", "cdn_server"};
    private static final String[] INFO_NUMBERS = {"upload_max_file_size", "unauthorized_session_ttl",
            "authorized_session_ttl", "retrieve_likes_max_limit", "retrieve_reposts_max_limit",
            "retrieve_replies_max_limit", "retrieve_quotes_max_limit", "retrieve_feed_max_limit",
            "retrieve_followers_max_limit", "retrieve_following_max_limit"};
    private static final String IDENT = "session_identification";

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final String publicHash = hash();
    private final String privateHash = hash();
    private Fixture fixture;
    private long ttl = -1;

    /** The session the get-checks use, made by the happy-path create. */
    private record Fixture(String id, String challenge) {
    }

    private SessionChecks(Clock clock) {
        this.clock = clock;
    }

    /** The checks for one transport; they share one session, created by the first that needs it. */
    static List<Check> all(Clock clock) {
        return new SessionChecks(clock).checks();
    }

    private String hash() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of(G, "help.get_server_information returns all 13 ServerInformation members", this::serverInformation));
        checks.add(Check.of(G, "session.create returns an id of 64 lower-case hex and a 64-character Base32 challenge",
                p -> createFixture(p)));
        createErrors(checks);
        getErrors(checks);
        checks.add(Check.of(G, "session.get with a computed answer returns the Session", this::getHappyPath));
        checks.add(Check.of(G, "session.get accepts an upper-case challenge answer", p -> {
            Fixture f = fixture(p);
            ObjectNode ident = identification(f);
            ident.put("challenge_answer", ident.get("challenge_answer").asText().toUpperCase(Locale.ROOT));
            JsonNode session = Expect.result(p.exchange(get(ident)), Id.of("\"get\""), "a Session");
            Expect.that(f.id().equals(session.path("id").asText()), "the session " + f.id(), session.toString());
        }));
        checks.add(Check.of(G, "session.create accepts an upper-case public_hash and stores it lower case", p -> {
            String pub = hash();
            ObjectNode params = createParams().put("public_hash", pub.toUpperCase(Locale.ROOT));
            JsonNode created = Expect.result(p.exchange(create(params)), Id.of("\"create\""), "a SessionEstablished");
            String id = created.path("id").asText();
            String challenge = created.path("challenge").asText();
            Expect.that(CHALLENGE.matcher(challenge).matches(), "a Base32 challenge", created.toString());
            ObjectNode ident = NODES.objectNode().put("session_id", id).put("client_public_hash", pub)
                    .put("challenge_answer", new Challenge(challenge, privateHash).answerAt(clock.instant().getEpochSecond()));
            JsonNode session = Expect.result(p.exchange(get(ident)), Id.of("\"get\""),
                    "session.get with the lower-case public hash to return the session");
            Expect.that(id.equals(session.path("id").asText()), "the session " + id, session.toString());
        }));
        return checks;
    }

    // ---------------------------------------------------------------- help.get_server_information

    private void serverInformation(Probe p) {
        JsonNode info = Expect.result(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":\"help.get_server_information\",\"id\":\"info\"}"),
                Id.of("\"info\""), "a ServerInformation object");
        for (String name : INFO_STRINGS) {
            Expect.that(info.path(name).isTextual(), "member " + name + " as a string", info.toString());
        }
        for (String name : INFO_NUMBERS) {
            Expect.that(info.path(name).isIntegralNumber(), "member " + name + " as an integer", info.toString());
        }
        ttl = info.path("unauthorized_session_ttl").asLong();
    }

    // ---------------------------------------------------------------- session.create

    private ObjectNode createParams() {
        return NODES.objectNode()
                .put("public_hash", publicHash)
                .put("private_hash", privateHash)
                .put("platform", "Linux")
                .put("name", "Conformance Suite")
                .put("version", "1.0.0");
    }

    private static String create(JsonNode params) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session.create\""
                + (params == null ? "" : ",\"params\":" + params) + ",\"id\":\"create\"}";
    }

    private Fixture createFixture(Probe p) {
        String expected = "a SessionEstablished {id, challenge}";
        JsonNode created = Expect.result(p.exchange(create(createParams())), Id.of("\"create\""), expected);
        String id = created.path("id").asText(null);
        String challenge = created.path("challenge").asText(null);
        Expect.that(created.path("id").isTextual() && SESSION_ID.matcher(id).matches(),
                "an id of 64 lower-case hex characters", created.toString());
        Expect.that(created.path("challenge").isTextual() && CHALLENGE.matcher(challenge).matches(),
                "a challenge of 64 characters A-Z2-7", "challenge of " + (challenge == null ? "no" : challenge.length())
                        + " characters" + (challenge != null && !CHALLENGE.matcher(challenge).matches() ? " outside A-Z2-7" : ""));
        fixture = new Fixture(id, challenge);
        return fixture;
    }

    private Fixture fixture(Probe p) {
        if (fixture != null) {
            return fixture;
        }
        try {
            return createFixture(p);
        } catch (CheckFailed e) {
            throw new CheckFailed("a session to test with from session.create", e.got());
        }
    }

    private void createErrors(List<Check> checks) {
        createError(checks, "without params", null, missing("public_hash"));
        for (String param : new String[] {"public_hash", "private_hash", "platform", "name", "version"}) {
            createError(checks, "without " + param, createParams().without(param), missing(param));
            createError(checks, "with " + param + " null", createParams().putNull(param), missing(param));
        }
        Err pub = err(8456, "InvalidClientPublicHash", "public_hash");
        createError(checks, "with a public_hash of 63 hex characters", with("public_hash", publicHash.substring(1)), pub);
        createError(checks, "with a public_hash of 64 non-hex characters", with("public_hash", "z".repeat(64)), pub);
        createError(checks, "with a public_hash that is a number", createParams().put("public_hash", 12345), pub);

        Err priv = err(8457, "InvalidClientPrivateHash", "private_hash");
        createError(checks, "with a private_hash of 65 hex characters", with("private_hash", privateHash + "a"), priv);
        createError(checks, "with a private_hash equal to public_hash but for case",
                with("private_hash", publicHash.toUpperCase(Locale.ROOT)), priv);
        createError(checks, "with a private_hash that is a number", createParams().put("private_hash", 1), priv);

        label(checks, "platform", err(8458, "InvalidPlatform", "platform"));
        label(checks, "name", err(8460, "InvalidClientName", "name"));

        Err version = err(8459, "InvalidVersion", "version");
        createError(checks, "with version \"not a version\"", with("version", "not a version"), version);
        createError(checks, "with an empty version", with("version", ""), version);
        createError(checks, "with a version of 33 characters", with("version", "1.0.0-" + "a".repeat(27)), version);

        ObjectNode allBad = createParams().put("public_hash", "x").put("private_hash", "x").put("platform", "")
                .put("name", "").put("version", "");
        createError(checks, "with every param invalid (public_hash is reported first)", allBad, pub);
        createError(checks, "with private_hash and platform invalid (private_hash first)",
                createParams().put("private_hash", "x").put("platform", ""), priv);
        createError(checks, "with platform and name invalid (platform first)",
                createParams().put("platform", "").put("name", ""), err(8458, "InvalidPlatform", "platform"));
        createError(checks, "with name and version invalid (name first)",
                createParams().put("name", "").put("version", "x"), err(8460, "InvalidClientName", "name"));
        ArrayNode positional = NODES.arrayNode().add(publicHash).add(privateHash).add("Linux").add("Conformance Suite").add("x.y");
        createError(checks, "with positional params in the documented order (version last, invalid)", positional, version);
    }

    private void label(List<Check> checks, String param, Err e) {
        createError(checks, "with an empty " + param, with(param, ""), e);
        createError(checks, "with a blank " + param, with(param, "   "), e);
        createError(checks, "with a " + param + " of 33 characters", with(param, "a".repeat(33)), e);
        createError(checks, "with a " + param + " holding $", with(param, "Linux$"), e);
        createError(checks, "with a " + param + " holding -", with(param, "Linux-x"), e);
        createError(checks, "with a " + param + " holding a control character", with(param, "Lin\u0001ux"), e);
        createError(checks, "with a " + param + " that is a number", createParams().put(param, 7), e);
    }

    private ObjectNode with(String param, String value) {
        return createParams().put(param, value);
    }

    private static Err missing(String param) {
        return err(-32602, "MissingParameter", param);
    }

    private static Err err(int code, String name, String parameter) {
        return new Err(code, name, parameter, Id.of("\"create\""));
    }

    private static void createError(List<Check> checks, String what, JsonNode params, Err e) {
        checks.add(Check.of(G, "session.create " + what + " gets " + outcome(e), p ->
                Expect.error(p.exchange(create(params)), e)));
    }

    // ---------------------------------------------------------------- session.get

    private ObjectNode identification(Fixture f) {
        return NODES.objectNode()
                .put("session_id", f.id())
                .put("client_public_hash", publicHash)
                .put("challenge_answer", new Challenge(f.challenge(), privateHash).answerAt(clock.instant().getEpochSecond()));
    }

    private static String get(JsonNode identification) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"" + IDENT + "\":" + identification + "},\"id\":\"get\"}";
    }

    private static Err getErr(int code, String name, String parameter) {
        return new Err(code, name, parameter, Id.of("\"get\""));
    }

    private void getErrors(List<Check> checks) {
        Err missing = getErr(-32602, "MissingParameter", IDENT);
        checks.add(Check.of(G, "1. session.get without params gets " + outcome(missing), p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"id\":\"get\"}"), missing)));
        checks.add(Check.of(G, "1. session.get with " + IDENT + " null gets " + outcome(missing), p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"" + IDENT
                        + "\":null},\"id\":\"get\"}"), missing)));
        checks.add(Check.of(G, "2. session.get with " + IDENT + " a string gets InvalidSessionIdentification 8461", p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"" + IDENT
                        + "\":\"abc\"},\"id\":\"get\"}"), getErr(8461, "InvalidSessionIdentification", null))));
        for (String member : new String[] {"session_id", "client_public_hash", "challenge_answer"}) {
            Err e = getErr(8461, "InvalidSessionIdentification", IDENT + "." + member);
            getError(checks, "2. session.get without " + member, i -> i.remove(member), e);
            getError(checks, "2. session.get with " + member + " a number", i -> i.put(member, 42), e);
        }
        getError(checks, "3. session.get with a client_public_hash of 10 characters",
                i -> i.put("client_public_hash", "0123456789"),
                getErr(8456, "InvalidClientPublicHash", IDENT + ".client_public_hash"));
        getError(checks, "3. session.get with a bad client_public_hash and a bad answer (public hash first)",
                i -> i.put("client_public_hash", "xyz").put("challenge_answer", "no"),
                getErr(8456, "InvalidClientPublicHash", IDENT + ".client_public_hash"));
        Err badFormat = getErr(8711, "BadSessionChallengeAnswer", IDENT + ".challenge_answer");
        getError(checks, "4. session.get with a challenge_answer of 39 hex characters",
                i -> i.put("challenge_answer", i.get("challenge_answer").asText().substring(1)), badFormat);
        getError(checks, "4. session.get with a malformed answer and an unknown session (answer first)",
                i -> i.put("challenge_answer", "not hex").put("session_id", hash()), badFormat);
        Err notFound = getErr(8707, "SessionNotFound", null);
        getError(checks, "5. session.get with a malformed session_id", i -> i.put("session_id", "not-an-id"), notFound);
        getError(checks, "5. session.get with an unknown session_id", i -> i.put("session_id", hash()), notFound);
        getError(checks, "5. session.get with another client_public_hash", i -> i.put("client_public_hash", hash()), notFound);
        getError(checks, "5. session.get with an unknown session_id and a wrong answer (not found first)",
                i -> i.put("session_id", hash()).put("challenge_answer", "0".repeat(40)), notFound);
        getError(checks, "6. session.get with a wrong challenge answer",
                i -> i.put("challenge_answer", wrongAnswer(i.get("challenge_answer").asText())),
                getErr(8711, "BadSessionChallengeAnswer", null));
    }

    private static String outcome(Err e) {
        return e.name() + " " + e.code() + (e.parameter() == null ? "" : " naming " + e.parameter());
    }

    private static String wrongAnswer(String right) {
        char first = right.charAt(0) == '0' ? '1' : '0';
        return first + right.substring(1);
    }

    private void getError(List<Check> checks, String what, Consumer<ObjectNode> change, Err e) {
        checks.add(Check.of(G, what + " gets " + outcome(e), p -> {
            ObjectNode ident = identification(fixture(p));
            change.accept(ident);
            Expect.error(p.exchange(get(ident)), e);
        }));
    }

    private void getHappyPath(Probe p) {
        Fixture f = fixture(p);
        JsonNode s = Expect.result(p.exchange(get(identification(f))), Id.of("\"get\""), "a Session");
        String shown = s.toString();
        Expect.that(f.id().equals(s.path("id").asText()), "id " + f.id(), shown);
        Expect.that(s.path("flags").isArray(), "flags as an array", shown);
        Expect.that(s.path("authenticated").isBoolean() && !s.path("authenticated").asBoolean(), "authenticated false", shown);
        for (String time : new String[] {"created", "expires", "last_active"}) {
            Expect.that(s.path(time).isIntegralNumber(), time + " as Unix seconds", shown);
        }
        Expect.that(s.path("expires").asLong() > s.path("created").asLong(), "expires after created", shown);
        if (ttl > 0) {
            Expect.that(s.path("expires").asLong() - s.path("last_active").asLong() == ttl,
                    "expires = last_active + unauthorized_session_ttl (" + ttl + ")", shown);
        }
        JsonNode client = s.path("client");
        Expect.that("Linux".equals(client.path("platform").asText()) && "Conformance Suite".equals(client.path("name").asText())
                && "1.0.0".equals(client.path("version").asText()), "client as registered (Linux, Conformance Suite, 1.0.0)", shown);
    }
}
