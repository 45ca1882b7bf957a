package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.RpcException;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.protocol.session.SessionIdentification;
import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionService} with a store and a throttle that behave like remote ones: every stage
 * completes later, on their own thread, and a lookup hands out a new record each time, as a store
 * that shares no memory with the server would. The service works unchanged.
 */
class RemoteLikeStoreTest {

    private static final String PUBLIC = "a".repeat(64);
    private static final String PRIVATE = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final int TTL = 600;
    private static final int GRACE = 3600;
    private static final int WINDOW = 2;
    private static final String STORE_THREAD = "remote-store";

    private final MutableClock clock = MutableClock.atStepStart();
    private final ExecutorService remote = Executors.newSingleThreadExecutor(r -> new Thread(r, STORE_THREAD));
    private final ChallengeVerifier verifier = new ChallengeVerifier(WINDOW);
    private final SessionStore store = new ForwardingStore(new InMemorySessionStore(100, clock, ServerMetrics.disabled())) {
        @Override
        public CompletionStage<Void> create(StoredSession session, long retainUntil) {
            return later(super.create(session, retainUntil));
        }

        @Override
        public CompletionStage<Optional<SessionRecord>> find(String id) {
            return later(super.find(id).thenApply(found -> found.map(r -> new SessionRecord(r.session(), r.retainUntil()))));
        }

        @Override
        public CompletionStage<Optional<SessionTimes>> touch(String id, long now, long expires, long retainUntil) {
            return later(super.touch(id, now, expires, retainUntil));
        }
    };
    private final CreateThrottle throttle = new CreateThrottle() {
        private final InMemoryCreateThrottle counts = new InMemoryCreateThrottle(2, Duration.ofSeconds(60), clock);

        @Override
        public CompletionStage<Long> acquire(AddressGroups.Group group) {
            return later(counts.acquire(group));
        }
    };
    private final SessionService service = new SessionService(store, throttle, verifier,
            new SessionService.Settings(Duration.ofSeconds(TTL), Duration.ofSeconds(GRACE)), clock, ServerMetrics.disabled());

    @AfterEach
    void stopRemote() {
        remote.shutdownNow();
    }

    /** The same answer, completed on the store's thread after the caller got its stage. */
    private <T> CompletionStage<T> later(CompletionStage<T> answer) {
        return answer.thenApplyAsync(value -> {
            assertThat(Thread.currentThread().getName()).isEqualTo(STORE_THREAD);
            return value;
        }, remote);
    }

    private SessionEstablished create() {
        return service.create(new NewSession(PUBLIC, PRIVATE, new ClientInfo("Linux", "Test", "1.0.0")),
                InetAddress.getLoopbackAddress()).toCompletableFuture().join();
    }

    private CompletionStage<Session> get(SessionEstablished s, String answer) {
        return service.get(new SessionIdentification(s.id(), PUBLIC, answer));
    }

    private String answerNow(SessionEstablished s) {
        return new Challenge(s.challenge(), PRIVATE).answerAt(clock.epochSecond());
    }

    private static ErrorCode errorOf(CompletionStage<?> stage) {
        Throwable failure = stage.toCompletableFuture().handle((ok, t) -> t).join();
        assertThat(failure).isInstanceOf(CompletionException.class).hasCauseInstanceOf(RpcException.class);
        return ((RpcException) failure.getCause()).code();
    }

    @Test
    void createGetExpiryAndThrottlingWorkAsWithTheInMemoryStore() {
        long t0 = clock.epochSecond();
        SessionEstablished s = create();
        clock.advance(Duration.ofSeconds(100));
        Session got = get(s, answerNow(s)).toCompletableFuture().join();
        assertThat(got.id()).isEqualTo(s.id());
        assertThat(got.created()).isEqualTo(t0);
        assertThat(got.expires()).isEqualTo(t0 + 100 + TTL);
        assertThat(got.lastActive()).isEqualTo(t0 + 100);

        assertThat(errorOf(get(s, "0".repeat(40)))).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
        create();
        create();
        assertThat(errorOf(service.create(new NewSession(PUBLIC, PRIVATE, new ClientInfo("Linux", "Test", "1.0.0")),
                InetAddress.getLoopbackAddress()))).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);

        clock.advance(Duration.ofSeconds(TTL + 1));
        assertThat(errorOf(get(s, answerNow(s)))).isEqualTo(ErrorCode.SESSION_EXPIRED);
        clock.advance(Duration.ofSeconds(GRACE));
        assertThat(errorOf(get(s, answerNow(s)))).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void aStoreThatKeepsNoAnswersCostsAWholeWindowPerGet() {
        SessionEstablished s = create();
        get(s, answerNow(s)).toCompletableFuture().join();
        get(s, answerNow(s)).toCompletableFuture().join();
        assertThat(verifier.answersComputed()).isEqualTo(2L * (2 * WINDOW + 1));
    }
}
