package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.JsonRpcError;
import dev.sessionrpc.protocol.MethodDescriptor;
import dev.sessionrpc.protocol.RpcException;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionDescriptors;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.server.dispatch.RequestContext;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.MutableClock;
import dev.sessionrpc.server.testing.TestContexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@code session.create} and {@code session.get} read whatever params a client sends (an object or
 * an array, any JSON values): the answer is a result or an {@link RpcException} whose code is one
 * PROTOCOL.md §3 documents for that method, never another exception. Each input builds the params
 * from the fuzz data, mixing valid values (hashes, labels, versions, a live session and its
 * correct answer) with wrong types and near misses, so that every check in the documented order
 * is reachable.
 */
class SessionParamsFuzzTest {

    /** §3 session.create: MissingParameter/InvalidParams, the five param errors, the throttle. */
    private static final Set<ErrorCode> CREATE_ERRORS = Set.of(ErrorCode.MISSING_PARAMETER, ErrorCode.INVALID_PARAMS,
            ErrorCode.INVALID_CLIENT_PUBLIC_HASH, ErrorCode.INVALID_CLIENT_PRIVATE_HASH, ErrorCode.INVALID_PLATFORM,
            ErrorCode.INVALID_CLIENT_NAME, ErrorCode.INVALID_VERSION, ErrorCode.TOO_MANY_REQUESTS);
    /** §3 session.get: steps 1 to 7. */
    private static final Set<ErrorCode> GET_ERRORS = Set.of(ErrorCode.MISSING_PARAMETER, ErrorCode.INVALID_PARAMS,
            ErrorCode.INVALID_SESSION_IDENTIFICATION, ErrorCode.INVALID_CLIENT_PUBLIC_HASH,
            ErrorCode.BAD_SESSION_CHALLENGE_ANSWER, ErrorCode.SESSION_NOT_FOUND, ErrorCode.SESSION_EXPIRED);

    /** Reads literal params as the server's codec does (same limits, duplicate keys rejected). */
    private static final com.fasterxml.jackson.databind.ObjectMapper READER = new dev.sessionrpc.protocol.JsonRpcCodec().mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PUBLIC = "a".repeat(64);
    private static final String PRIVATE = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final Duration TTL = Duration.ofSeconds(600);
    private static final Duration GRACE = Duration.ofHours(1);
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
    private static final RequestContext CONTEXT = TestContexts.loopback();

    /** A fresh service per input, so that an input means the same on every run (no shared throttle or store). */
    private static final class World {
        final MutableClock clock = MutableClock.atStepStart();
        final SessionService service;
        final SessionMethods methods;
        final SessionEstablished live;

        World(int createLimit) {
            ServerMetrics metrics = ServerMetrics.disabled();
            service = new SessionService(new InMemorySessionStore(1_000, clock, metrics),
                    new InMemoryCreateThrottle(createLimit, Duration.ofSeconds(60), clock), new ChallengeVerifier(2),
                    new SessionService.Settings(TTL, GRACE), clock, metrics);
            methods = new SessionMethods(service);
            live = service.create(new NewSession(PUBLIC, PRIVATE,
                            new dev.sessionrpc.protocol.session.ClientInfo("Linux", "Fuzz", "1.0.0")), CLIENT)
                    .toCompletableFuture().join();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void sessionMethodsAnswerWithAResultOrADocumentedError(FuzzedDataProvider data) {
        World world = new World(data.consumeInt(1, 3));
        boolean create = data.consumeBoolean();
        if (data.consumeBoolean()) { // literal mode: the rest of the input is the params as JSON (hand-written seeds)
            JsonNode params;
            try {
                params = READER.readTree(data.consumeRemainingAsBytes());
            } catch (java.io.IOException | RuntimeException e) {
                // not JSON, or JSON a plain reader cannot hold (huge exponents): the codec target's business
                return;
            }
            if (params != null && (params.isObject() || params.isArray())) {
                check(() -> create ? run(SessionDescriptors.CREATE, world.methods::create, params)
                                : run(SessionDescriptors.GET, world.methods::get, params),
                        create ? CREATE_ERRORS : GET_ERRORS, params, create ? "session.create" : "session.get");
            }
            return;
        }
        int calls = data.consumeInt(1, 4); // repeated creates reach the throttle
        for (int i = 0; i < calls && data.remainingBytes() > 0; i++) {
            world.clock.advance(Duration.ofSeconds(data.consumeInt(0, 5000)));
            JsonNode params = create ? createParams(data, world) : getParams(data, world);
            if (create) {
                check(() -> run(SessionDescriptors.CREATE, world.methods::create, params), CREATE_ERRORS, params, "session.create");
            } else {
                check(() -> run(SessionDescriptors.GET, world.methods::get, params), GET_ERRORS, params, "session.get");
            }
        }
    }

    /** Runs a method as the dispatcher does: its descriptor reads the params from their bytes, then the handler runs. */
    private static <P> CompletionStage<?> run(MethodDescriptor<P, ?> method,
                                              BiFunction<P, RequestContext, CompletionStage<?>> handler, JsonNode params) {
        P read;
        try {
            read = JsonMarshallers.readParams(JsonMarshallers.params(params), method.params());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handler.apply(read, CONTEXT);
    }

    private static void check(Supplier<CompletionStage<?>> call, Set<ErrorCode> documented,
                              JsonNode params, String method) {
        Object result;
        try {
            result = call.get().toCompletableFuture().join();
        } catch (RpcException e) {
            assertDocumented(e, documented, params, method);
            return;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RpcException rpc) {
                assertDocumented(rpc, documented, params, method);
                return;
            }
            throw new AssertionError(method + " failed with " + e.getCause() + " for params " + params, e.getCause());
        }
        assertThat(result).as("%s result for %s", method, params).isNotNull();
        if (result instanceof SessionEstablished s) {
            assertThat(s.id()).matches("[0-9a-f]{64}");
            assertThat(s.challenge()).matches("[A-Z2-7]{64}");
        } else if (result instanceof Session s) {
            assertThat(s.id()).matches("[0-9a-f]{64}");
        } else {
            fail("%s returned %s for %s", method, result.getClass(), params);
        }
    }

    private static void assertDocumented(RpcException e, Set<ErrorCode> documented, JsonNode params, String method) {
        assertThat(e.code()).as("%s error for params %s: %s", method, params, e.getMessage()).isIn(documented);
        JsonRpcError wire = e.toError();
        assertThat(wire.name()).isEqualTo(e.code().wireName());
        assertThat(wire.message()).isNotBlank().doesNotContain(PRIVATE);
    }

    // ------------------------------------------------------------------ params from fuzz data

    private static JsonNode createParams(FuzzedDataProvider data, World world) {
        List<String> names = SessionDescriptors.CREATE_PARAMS;
        if (data.consumeBoolean()) {
            ArrayNode array = NODES.arrayNode();
            int n = data.consumeInt(0, names.size() + 1);
            for (int i = 0; i < n; i++) {
                array.add(createValue(data, i < names.size() ? names.get(i) : "extra", world));
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        for (String name : names) {
            if (data.consumeInt(0, 7) != 0) { // mostly present
                object.set(name, createValue(data, name, world));
            }
        }
        if (data.consumeBoolean()) {
            object.set(data.consumeString(8), any(data, 2));
        }
        return object;
    }

    private static JsonNode createValue(FuzzedDataProvider data, String name, World world) {
        return switch (data.consumeInt(0, 5)) {
            case 0 -> any(data, 2);
            case 1 -> NODES.textNode(data.consumeString(80));
            default -> NODES.textNode(switch (name) {
                case "public_hash" -> pickLazy(data, () -> PUBLIC, PUBLIC::toUpperCase, () -> hex(data, 64),
                        () -> hex(data, 63), () -> hex(data, 65));
                case "private_hash" -> pickLazy(data, () -> PRIVATE, () -> PUBLIC, PUBLIC::toUpperCase, () -> hex(data, 64),
                        () -> "g".repeat(64));
                case "platform", "name" -> pick(data, "Linux", "Example Client", " ", "a".repeat(32), "a".repeat(33),
                        "x\u0000y", "a\u200bb", "n-a", "\ud83d\ude00", "Linux\u00a3");
                case "version" -> pick(data, "1.0.0", "1.0", "1.0rc1", "2.1.0-beta.1", "v1!2.3.post4.dev5+abc", "01.0.0",
                        "1.0.0+", "", "1".repeat(33), "1.0.0-" + "a.".repeat(20) + "a");
                default -> data.consumeString(16);
            });
        };
    }

    private static JsonNode getParams(FuzzedDataProvider data, World world) {
        JsonNode identification = data.consumeInt(0, 5) == 0 ? any(data, 2) : identification(data, world);
        return switch (data.consumeInt(0, 4)) {
            case 0 -> NODES.arrayNode().add(identification);
            case 1 -> NODES.arrayNode().add(identification).add(any(data, 1));
            case 2 -> NODES.objectNode();
            case 3 -> NODES.arrayNode();
            default -> NODES.objectNode().set("session_identification", identification);
        };
    }

    private static JsonNode identification(FuzzedDataProvider data, World world) {
        ObjectNode node = NODES.objectNode();
        long now = world.clock.epochSecond();
        Challenge challenge = new Challenge(world.live.challenge(), PRIVATE);
        member(data, node, "session_id", () -> pickLazy(data, () -> world.live.id(),
                () -> world.live.id().toUpperCase(), () -> hex(data, 64), () -> data.consumeString(70)));
        member(data, node, "client_public_hash", () -> pickLazy(data, () -> PUBLIC, PUBLIC::toUpperCase,
                () -> "b".repeat(64), () -> hex(data, 64), () -> data.consumeString(70)));
        member(data, node, "challenge_answer", () -> pickLazy(data,
                () -> challenge.answerAt(now + 30L * data.consumeInt(-4, 4)),
                () -> challenge.answerAt(now).toUpperCase(), () -> hex(data, 40), () -> hex(data, 39),
                () -> data.consumeString(50)));
        return node;
    }

    private static void member(FuzzedDataProvider data, ObjectNode node, String name,
                               Supplier<String> good) {
        switch (data.consumeInt(0, 7)) {
            case 0 -> { } // missing
            case 1 -> node.set(name, any(data, 1));
            default -> node.put(name, good.get());
        }
    }

    /** Any JSON value, nested up to {@code depth}. */
    private static JsonNode any(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(data.consumeBoolean());
            case 2 -> NODES.numberNode(data.consumeLong());
            case 3 -> NODES.numberNode(new BigDecimal(data.consumeLong()).scaleByPowerOfTen(data.consumeInt(-400, 400)));
            case 4 -> NODES.numberNode(data.consumeDouble());
            case 5, 6 -> NODES.textNode(data.consumeString(80));
            case 7 -> {
                ArrayNode a = NODES.arrayNode();
                int n = data.consumeInt(0, 3);
                for (int i = 0; i < n; i++) {
                    a.add(any(data, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                int n = data.consumeInt(0, 3);
                for (int i = 0; i < n; i++) {
                    o.set(data.consumeString(20), any(data, depth - 1));
                }
                yield o;
            }
        };
    }

    private static String pick(FuzzedDataProvider data, String... choices) {
        return choices[data.consumeInt(0, choices.length - 1)];
    }

    /** Like {@link #pick}, but only the chosen value consumes fuzz data. */
    @SafeVarargs
    private static String pickLazy(FuzzedDataProvider data, Supplier<String>... choices) {
        return choices[data.consumeInt(0, choices.length - 1)].get();
    }

    private static String hex(FuzzedDataProvider data, int length) {
        StringBuilder sb = new StringBuilder(length);
        String digits = "0123456789abcdefABCDEF";
        for (int i = 0; i < length; i++) {
            sb.append(digits.charAt(data.consumeInt(0, digits.length() - 1)));
        }
        return sb.toString();
    }
}
