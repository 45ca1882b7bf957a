package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.ErrorMapper;
import dev.sessionrpc.protocol.JsonRpcError;
import dev.sessionrpc.protocol.RpcException;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.protocol.session.SessionIdentification;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.LogCapture;
import dev.sessionrpc.server.testing.MutableClock;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionServiceTest {

    private static final String PUBLIC = "a".repeat(64);
    private static final String PRIVATE = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final int TTL = 600;
    private static final int GRACE = 3600;
    private static final int WINDOW = 2;

    private final MutableClock clock = MutableClock.atStepStart();
    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final ChallengeVerifier verifier = new ChallengeVerifier(WINDOW);
    private SessionService service = newService(30, Duration.ofSeconds(60), metrics);
    private ExecutorService pool;

    private SessionService newService(int createLimit, Duration createWindow, ServerMetrics metrics) {
        return newService(new InMemorySessionStore(1_000_000, clock, metrics),
                new InMemoryCreateThrottle(createLimit, createWindow, clock), metrics);
    }

    private SessionService newService(SessionStore store, CreateThrottle throttle, ServerMetrics metrics) {
        return new SessionService(store, throttle, verifier,
                new SessionService.Settings(Duration.ofSeconds(TTL), Duration.ofSeconds(GRACE)), clock, metrics);
    }

    @AfterEach
    void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private SessionEstablished create(String address) {
        return service.create(new NewSession(PUBLIC, PRIVATE, new ClientInfo("Linux", "Test", "1.0.0")), ip(address))
                .toCompletableFuture().join();
    }

    static InetAddress ip(String literal) {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(literal);
        assertThat(address).as("an IP literal: %s", literal).isNotNull();
        return address;
    }

    private Session get(SessionEstablished s, long answerTime) {
        String answer = new Challenge(s.challenge(), PRIVATE).answerAt(answerTime);
        return service.get(new SessionIdentification(s.id(), PUBLIC, answer)).toCompletableFuture().join();
    }

    private Session getNow(SessionEstablished s) {
        return get(s, clock.epochSecond());
    }

    private static RpcException rpcError(Runnable call) {
        try {
            call.run();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(RpcException.class);
            return (RpcException) e.getCause();
        }
        throw new AssertionError("expected an RpcException");
    }

    @Test
    void createGivesRandomHexIdAndBase32ChallengeEachTime() {
        SessionEstablished a = create("10.0.0.1");
        SessionEstablished b = create("10.0.0.1");
        assertThat(a.id()).matches("[0-9a-f]{64}");
        assertThat(a.challenge()).matches("[A-Z2-7]{64}");
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.challenge()).isNotEqualTo(b.challenge());
    }

    @Test
    void newSessionLivesOneTtlAndGetReturnsItsPublicView() {
        long t0 = clock.epochSecond();
        SessionEstablished s = create("10.0.0.1");
        Session session = getNow(s);
        assertThat(session.id()).isEqualTo(s.id());
        assertThat(session.created()).isEqualTo(t0);
        assertThat(session.expires()).isEqualTo(t0 + TTL);
        assertThat(session.lastActive()).isEqualTo(t0);
        assertThat(session.authenticated()).isFalse();
        assertThat(session.flags()).isEmpty();
        assertThat(session.client()).isEqualTo(new ClientInfo("Linux", "Test", "1.0.0"));
    }

    @Test
    void eachSuccessfulGetPushesExpiryForward() {
        long t0 = clock.epochSecond();
        SessionEstablished s = create("10.0.0.1");
        clock.advance(Duration.ofSeconds(500));
        Session first = getNow(s);
        assertThat(first.expires()).isEqualTo(t0 + 500 + TTL);
        assertThat(first.lastActive()).isEqualTo(t0 + 500);
        clock.advance(Duration.ofSeconds(500));
        Session second = getNow(s);
        assertThat(second.expires()).isEqualTo(t0 + 1000 + TTL);
        assertThat(second.created()).isEqualTo(t0);
    }

    @Test
    void sessionExpiresAfterTtlThenIsExpiredDuringGraceThenNotFound() {
        SessionEstablished s = create("10.0.0.1");
        clock.advance(Duration.ofSeconds(TTL));
        assertThat(getNow(s).id()).as("at exactly expires it still lives").isEqualTo(s.id());
        long expires = clock.epochSecond() + TTL;

        clock.advance(Duration.ofSeconds(TTL + 1));
        assertThat(rpcError(() -> getNow(s)).code()).isEqualTo(ErrorCode.SESSION_EXPIRED);

        clock.set(java.time.Instant.ofEpochSecond(expires + GRACE));
        assertThat(rpcError(() -> getNow(s)).code()).as("last second of grace").isEqualTo(ErrorCode.SESSION_EXPIRED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(rpcError(() -> getNow(s)).code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void expiredSessionIsNotRevivedByAGet() {
        SessionEstablished s = create("10.0.0.1");
        clock.advance(Duration.ofSeconds(TTL + 1));
        rpcError(() -> getNow(s));
        assertThat(rpcError(() -> getNow(s)).code()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    }

    @Test
    void wrongAnswerIsCheckedBeforeExpiry() {
        SessionEstablished s = create("10.0.0.1");
        clock.advance(Duration.ofSeconds(TTL + 10));
        RpcException e = rpcError(() -> service.get(new SessionIdentification(s.id(), PUBLIC, "0".repeat(40)))
                .toCompletableFuture().join());
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
        assertThat(e.parameter()).isEqualTo("session_identification.challenge_answer");
    }

    @Test
    void answersWithinTheSkewWindowAreAcceptedAndOneStepBeyondRefused() {
        SessionEstablished s = create("10.0.0.1");
        long now = clock.epochSecond();
        for (int step = -WINDOW; step <= WINDOW; step++) {
            assertThat(get(s, now + step * 30L).id()).as("step %d", step).isEqualTo(s.id());
        }
        assertThat(rpcError(() -> get(s, now + (WINDOW + 1) * 30L)).code()).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
        assertThat(rpcError(() -> get(s, now - (WINDOW + 1) * 30L)).code()).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
    }

    @Test
    void windowFollowsTheClockAcrossSteps() {
        SessionEstablished s = create("10.0.0.1");
        for (int i = 0; i < 12; i++) {
            assertThat(getNow(s).id()).isEqualTo(s.id());
            long stale = clock.epochSecond() - (WINDOW + 1) * 30L;
            assertThat(rpcError(() -> get(s, stale)).code()).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
            clock.advance(Duration.ofSeconds(17));
        }
    }

    @Test
    void unknownIdWrongPublicHashAndMalformedIdAreAllSessionNotFound() {
        SessionEstablished s = create("10.0.0.1");
        String answer = new Challenge(s.challenge(), PRIVATE).answerAt(clock.epochSecond());
        List<SessionIdentification> cases = List.of(
                new SessionIdentification("b".repeat(64), PUBLIC, answer),
                new SessionIdentification(s.id(), "c".repeat(64), answer),
                new SessionIdentification("not-an-id", PUBLIC, answer));
        for (SessionIdentification c : cases) {
            RpcException e = rpcError(() -> service.get(c).toCompletableFuture().join());
            assertThat(e.code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("No session with this id and public hash");
        }
    }

    @Test
    void upperCaseIdAndPublicHashFindTheSession() {
        SessionEstablished s = create("10.0.0.1");
        String answer = new Challenge(s.challenge(), PRIVATE).answerAt(clock.epochSecond());
        Session session = service.get(new SessionIdentification(s.id().toUpperCase(), PUBLIC.toUpperCase(), answer))
                .toCompletableFuture().join();
        assertThat(session.id()).isEqualTo(s.id());
    }

    @Test
    void createsPastTheLimitAreRefusedWithRetryAfterUntilTheWindowSlides() {
        ServerMetrics ownMetrics = ServerMetrics.prometheus();
        service = newService(3, Duration.ofSeconds(60), ownMetrics);
        create("10.0.0.1");
        clock.advance(Duration.ofSeconds(20));
        create("10.0.0.1");
        create("10.0.0.1");
        clock.advance(Duration.ofSeconds(15));

        RpcException refused = rpcError(() -> create("10.0.0.1"));
        assertThat(refused.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
        assertThat(refused.extraData()).containsEntry("retry_after", 25L);
        assertThat(create("10.0.0.2").id()).as("another address is unaffected").isNotNull();

        clock.advance(Duration.ofSeconds(24));
        assertThat(rpcError(() -> create("10.0.0.1")).extraData()).containsEntry("retry_after", 1L);
        clock.advance(Duration.ofSeconds(1));
        assertThat(create("10.0.0.1").id()).as("the oldest create left the window").isNotNull();
        assertThat(rpcError(() -> create("10.0.0.1")).extraData()).containsEntry("retry_after", 20L);
    }

    @Test
    void addressesInOneIpv6Slash64ShareACreateWindowAndAnotherSlash64HasItsOwn() {
        service = newService(2, Duration.ofSeconds(60), ServerMetrics.prometheus());
        create("2001:db8:1:2::1");
        create("2001:db8:1:2:ffff:ffff:ffff:ffff");
        assertThat(rpcError(() -> create("2001:db8:1:2:abcd::9")).code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
        assertThat(create("2001:db8:1:3::1").id()).isNotNull();
    }

    @Test
    void anIpv4MappedIpv6AddressSharesTheCreateWindowOfItsIpv4Address() throws Exception {
        service = newService(1, Duration.ofSeconds(60), ServerMetrics.prometheus());
        create("1.2.3.4");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
        RpcException refused = rpcError(() -> service.create(new NewSession(PUBLIC, PRIVATE,
                new ClientInfo("Linux", "Test", "1.0.0")), uncheckedMapped(mapped)).toCompletableFuture().join());
        assertThat(refused.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
    }

    private static InetAddress uncheckedMapped(byte[] bytes) {
        try {
            return java.net.Inet6Address.getByAddress(null, bytes, -1);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withAnIpv6PrefixOf128EachIpv6AddressHasItsOwnCreateWindow() {
        service = new SessionService(new InMemorySessionStore(100, clock, metrics),
                new InMemoryCreateThrottle(1, Duration.ofSeconds(60), clock), verifier,
                new SessionService.Settings(Duration.ofSeconds(TTL), Duration.ofSeconds(GRACE), 128),
                clock, ServerMetrics.prometheus());
        create("2001:db8:1:2::1");
        assertThat(create("2001:db8:1:2::2").id()).isNotNull();
        assertThat(rpcError(() -> create("2001:db8:1:2::1")).code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
    }

    @Test
    void concurrentGetsOfOneSessionLoseNoUpdateAndCreatesStayUnique() throws Exception {
        SessionEstablished s = create("10.0.0.1");
        pool = Executors.newFixedThreadPool(8);
        AtomicLong maxSeenActive = new AtomicLong();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 1_000; i++) {
                    if (thread == 0 && i % 50 == 0) {
                        clock.advance(Duration.ofSeconds(1));
                    }
                    Session got = getNow(s);
                    maxSeenActive.accumulateAndGet(got.lastActive(), Math::max);
                    if (i % 100 == 0) {
                        ids.add(create("10.1." + thread + "." + (i / 100)).id());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        Session last = getNow(s);
        assertThat(last.lastActive()).isEqualTo(clock.epochSecond()).isGreaterThanOrEqualTo(maxSeenActive.get());
        assertThat(last.expires()).isEqualTo(last.lastActive() + TTL);
        assertThat(ids).hasSize(80);
    }

    @Test
    void eachThreadDrawsIdsFromItsOwnDrbgSoNoLockIsShared() throws Exception {
        pool = Executors.newFixedThreadPool(2);
        SecureRandom here = SessionService.random();
        SecureRandom there = pool.submit(SessionService::random).get();
        assertThat(here).isSameAs(SessionService.random()).isNotSameAs(there);
        assertThat(here.getAlgorithm()).as("not NativePRNG, whose instances share one lock").isEqualTo("DRBG");
    }

    @Test
    void eachSessionEventIsOneDebugLineWithoutASecret() {
        try (LogCapture log = LogCapture.of(SessionService.class.getName(), Level.DEBUG)) {
            long start = clock.epochSecond();
            SessionEstablished s = create("10.0.0.1");
            getNow(s);
            rpcError(() -> service.get(new SessionIdentification(s.id(), PUBLIC, "0".repeat(40))).toCompletableFuture().join());
            rpcError(() -> service.get(new SessionIdentification("b".repeat(64), PUBLIC, "0".repeat(40))).toCompletableFuture().join());
            clock.advance(Duration.ofSeconds(TTL + 1));
            rpcError(() -> getNow(s));
            String shortId = s.id().substring(0, 8);
            assertThat(log.lines()).containsExactly(
                    "session " + shortId + " created for Linux Test 1.0.0 from 10.0.0.1",
                    "session " + shortId + " identified; expires at " + (start + TTL),
                    "session " + shortId + ": wrong challenge answer",
                    "session.get: no such session",
                    "session " + shortId + ": expired");
            assertThat(String.join("\n", log.lines())).doesNotContain(s.id(), s.challenge(), PRIVATE);
        }
    }

    @Test
    void aWrongAnswerTellsTheServersTimeSoAClientCanSeeItsClockOffset() {
        SessionEstablished s = create("10.0.0.1");
        RpcException wrong = rpcError(() ->
                service.get(new SessionIdentification(s.id(), PUBLIC, "0".repeat(40))).toCompletableFuture().join());
        assertThat(wrong.code()).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
        assertThat(wrong.extraData()).containsEntry("server_time", clock.epochSecond());
    }

    @Test
    void storeEvictsPastItsLimitAndCountsIt() {
        ServerMetrics ownMetrics = ServerMetrics.prometheus();
        InMemorySessionStore small = new InMemorySessionStore(10, clock, ownMetrics);
        service = newService(small, new InMemoryCreateThrottle(100, Duration.ofSeconds(60), clock), ownMetrics);
        for (int i = 0; i < 50; i++) {
            service.create(new NewSession(PUBLIC, PRIVATE, new ClientInfo("p", "n", "1")), ip("10.0.0." + i))
                    .toCompletableFuture().join();
        }
        assertThat(small.estimatedSize()).isEqualTo(10);
        assertThat(ownMetrics.registry().get("rpc_sessions_evicted").counter().count()).isEqualTo(40);
        assertThat(ownMetrics.scrape()).as("the gauge reads the store's size").contains("rpc_sessions_stored 10.0");
    }

    @Test
    void aSecondGetWithinAStepComputesNoAnswersAndTheNextStepComputesOne() {
        SessionEstablished s = create("10.0.0.1");
        getNow(s);
        long computed = verifier.answersComputed();
        assertThat(computed).as("the whole window, once").isEqualTo(2 * WINDOW + 1);
        getNow(s);
        get(s, clock.epochSecond() - 30);
        assertThat(verifier.answersComputed()).as("same step").isEqualTo(computed);
        clock.advance(Duration.ofSeconds(30));
        getNow(s);
        assertThat(verifier.answersComputed()).as("the step moved on by one").isEqualTo(computed + 1);
    }

    @Test
    void theStoreIsToldToKeepASessionForItsGraceAfterItExpires() {
        List<Long> retained = new ArrayList<>();
        InMemorySessionStore memory = new InMemorySessionStore(10, clock, metrics);
        SessionStore recording = new ForwardingStore(memory) {
            @Override
            public CompletionStage<Void> create(StoredSession session, long retainUntil) {
                retained.add(retainUntil - session.expires());
                return super.create(session, retainUntil);
            }

            @Override
            public CompletionStage<Optional<SessionTimes>> touch(String id, long now,
                    long expires, long retainUntil) {
                retained.add(retainUntil - expires);
                return super.touch(id, now, expires, retainUntil);
            }
        };
        service = newService(recording, new InMemoryCreateThrottle(10, Duration.ofSeconds(60), clock), metrics);
        getNow(create("10.0.0.1"));
        assertThat(retained).containsExactly((long) GRACE, (long) GRACE);
    }

    @Test
    void aFailingStoreOrThrottleStageBecomesInternalServerError() {
        IllegalStateException down = new IllegalStateException("store unreachable: 10.0.0.5:6379");
        SessionStore failing = new ForwardingStore(new InMemorySessionStore(10, clock, metrics)) {
            @Override
            public CompletionStage<Optional<SessionRecord>> find(String id) {
                return CompletableFuture.failedFuture(down);
            }

            @Override
            public CompletionStage<Void> create(StoredSession session, long retainUntil) {
                return CompletableFuture.failedFuture(down);
            }
        };
        CreateThrottle failingThrottle = group -> CompletableFuture.failedFuture(down);
        NewSession request = new NewSession(PUBLIC, PRIVATE, new ClientInfo("Linux", "Test", "1.0.0"));
        SessionIdentification identification = new SessionIdentification("b".repeat(64), PUBLIC, "0".repeat(40));

        service = newService(failing, new InMemoryCreateThrottle(10, Duration.ofSeconds(60), clock), metrics);
        assertInternalServerError(service.create(request, ip("10.0.0.1")), down);
        assertInternalServerError(service.get(identification), down);
        service = newService(new InMemorySessionStore(10, clock, metrics), failingThrottle, metrics);
        assertInternalServerError(service.create(request, ip("10.0.0.1")), down);
    }

    private static void assertInternalServerError(CompletionStage<?> stage, Throwable cause) {
        Throwable failure = stage.toCompletableFuture().handle((ok, t) -> t).join();
        assertThat(failure).isNotNull();
        assertThat(failure instanceof CompletionException ? failure.getCause() : failure).isSameAs(cause);
        JsonRpcError error = ErrorMapper.toError(failure, "session.x");
        assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL_SERVER_ERROR.code());
        assertThat(error.message()).doesNotContain("10.0.0.5");
    }

    @Test
    void storedSessionNeverPrintsItsSecrets() {
        StoredSession s = new StoredSession("a".repeat(64), PUBLIC, PRIVATE, "SECRETCHALLENGE", 0, 1, 0,
                new ClientInfo("p", "n", "1"), "10.0.0.1");
        assertThat(s.toString()).doesNotContain(PRIVATE).doesNotContain("SECRETCHALLENGE");
        assertThat(new NewSession(PUBLIC, PRIVATE, s.client()).toString()).doesNotContain(PRIVATE);
    }

    @Test
    void getOfAnExpiredButStoredSessionDoesNotTouchIt() {
        SessionEstablished s = create("10.0.0.1");
        clock.advance(Duration.ofSeconds(TTL + 5));
        assertThatThrownBy(() -> getNow(s)).hasCauseInstanceOf(RpcException.class);
        clock.advance(Duration.ofSeconds(GRACE));
        assertThat(rpcError(() -> getNow(s)).code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }
}
