package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest {

    private static final long TTL = 600;
    private static final long GRACE = 3600;

    private final MutableClock clock = MutableClock.atStepStart();
    private final ServerMetrics metrics = ServerMetrics.prometheus();

    private InMemorySessionStore store(long capacity) {
        return new InMemorySessionStore(capacity, clock, metrics);
    }

    private StoredSession session(int n) {
        long now = clock.epochSecond();
        return new StoredSession(String.format("%064x", n), "a".repeat(64), "b".repeat(64), "A".repeat(64),
                now, now + TTL, now, new ClientInfo("Linux", "Test", "1.0.0"), "10.0.0.1");
    }

    private static String id(int n) {
        return String.format("%064x", n);
    }

    private static void create(SessionStore store, StoredSession s) {
        store.create(s, s.expires() + GRACE).toCompletableFuture().join();
    }

    private Optional<SessionTimes> touch(SessionStore store, int n, long now) {
        return store.touch(id(n), now, now + TTL, now + TTL + GRACE).toCompletableFuture().join();
    }

    private boolean holds(SessionStore store, int n) {
        return store.find(id(n)).toCompletableFuture().join().isPresent();
    }

    /** What session.get does with a session: find it, then move its expiry to now + TTL. */
    private void use(SessionStore store, int n) {
        store.find(id(n)).toCompletableFuture().join();
        touch(store, n, clock.epochSecond());
    }

    private double evicted() {
        return metrics.registry().get("rpc_sessions_evicted").counter().count();
    }

    @Test
    void newSessionsSurviveAFullStoreWhoseOlderSessionsWereInUse() {
        InMemorySessionStore store = store(100);
        for (int n = 0; n < 100; n++) {
            create(store, session(n));
            use(store, n);
            use(store, n);
        }
        clock.advance(Duration.ofSeconds(10));
        for (int n = 1000; n < 1200; n++) {
            create(store, session(n));
            assertThat(holds(store, n)).as("session %d just created", n).isTrue();
        }
        assertThat(IntStream.range(1100, 1200).filter(n -> holds(store, n)).count())
                .as("the 100 newest sessions").isEqualTo(100);
        assertThat(IntStream.range(0, 100).filter(n -> holds(store, n)).count())
                .as("the older ones, last used before them").isZero();
    }

    @Test
    void pastItsCapacityTheStoreEvictsAnExpiredSessionBeforeLiveOnes() {
        InMemorySessionStore store = store(3);
        create(store, session(1));
        clock.advance(Duration.ofSeconds(TTL + 1));
        create(store, session(2));
        create(store, session(3));
        create(store, session(4));
        assertThat(holds(store, 1)).as("expired, in its grace period").isFalse();
        assertThat(holds(store, 2)).isTrue();
        assertThat(holds(store, 3)).isTrue();
        assertThat(holds(store, 4)).isTrue();
        assertThat(evicted()).isEqualTo(1);
    }

    @Test
    void aTouchedSessionOutlivesAnUntouchedOneCreatedAfterIt() {
        InMemorySessionStore store = store(3);
        create(store, session(1));
        clock.advance(Duration.ofSeconds(1));
        create(store, session(2));
        clock.advance(Duration.ofSeconds(1));
        create(store, session(3));
        clock.advance(Duration.ofSeconds(1));
        use(store, 1);
        create(store, session(4));
        assertThat(holds(store, 2)).as("least recently created or touched").isFalse();
        assertThat(holds(store, 1)).as("touched after 2 and 3 were created").isTrue();
        assertThat(holds(store, 3)).isTrue();
        assertThat(holds(store, 4)).isTrue();
        create(store, session(5));
        assertThat(holds(store, 3)).as("next in line").isFalse();
        assertThat(holds(store, 1)).isTrue();
        assertThat(evicted()).isEqualTo(2);
    }

    @Test
    void creatingFarPastTheCapacityKeepsTheStoreAtItsCapacityAndCountsEveryEviction() {
        InMemorySessionStore store = store(5_000);
        for (int n = 0; n < 50_000; n++) {
            create(store, session(n));
        }
        assertThat(store.capacity()).isEqualTo(5_000);
        assertThat(store.estimatedSize()).isEqualTo(5_000);
        assertThat(evicted()).isEqualTo(45_000);
        assertThat(holds(store, 49_999)).isTrue();
        assertThat(metrics.scrape()).contains("rpc_sessions_evicted_total 45000.0");
    }

    @Test
    void aSessionIsKeptThroughTheLastSecondOfGraceAndForgottenWithoutCountingAnEviction() {
        InMemorySessionStore store = store(3);
        StoredSession s = session(1);
        create(store, s);
        clock.set(Instant.ofEpochSecond(s.expires() + GRACE).plusMillis(999));
        assertThat(holds(store, 1)).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(holds(store, 1)).isFalse();
        assertThat(touch(store, 1, clock.epochSecond())).isEmpty();
        create(store, session(2));
        assertThat(store.estimatedSize()).isEqualTo(1);
        assertThat(evicted()).isZero();
    }

    @Test
    void aTouchMovesTheTimesForwardButNeverBackAndAnswersOnlyTheTimes() {
        InMemorySessionStore store = store(3);
        StoredSession s = session(1);
        create(store, s);
        SessionTimes touched = touch(store, 1, s.created() + 50).orElseThrow();
        assertThat(touched).isEqualTo(new SessionTimes(s.created() + 50 + TTL, s.created() + 50));
        SessionTimes late = touch(store, 1, s.created() + 40).orElseThrow();
        assertThat(late).isEqualTo(touched);
        assertThat(store.find(id(1)).toCompletableFuture().join().orElseThrow().session())
                .isEqualTo(s.withTimes(touched));
    }

    @Test
    void theRetentionTheCallerGaveDecidesWhenASessionIsForgotten() {
        InMemorySessionStore store = store(3);
        StoredSession s = session(1);
        store.create(s, s.expires() + 10).toCompletableFuture().join();
        clock.set(Instant.ofEpochSecond(s.expires() + 10).plusMillis(999));
        assertThat(holds(store, 1)).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(holds(store, 1)).isFalse();
    }

    @Test
    void aTouchCarriesTheExpectedAnswersOfTheSessionToItsNewRecord() {
        InMemorySessionStore store = store(3);
        create(store, session(1));
        SessionRecord before = store.find(id(1)).toCompletableFuture().join().orElseThrow();
        ExpectedAnswers answers = new ExpectedAnswers(7, new byte[20]);
        before.expectedAnswers(answers);
        touch(store, 1, clock.epochSecond());
        SessionRecord after = store.find(id(1)).toCompletableFuture().join().orElseThrow();
        assertThat(after.expectedAnswers()).isSameAs(answers);
        assertThat(store.find(id(1)).toCompletableFuture().join()).containsSame(after);
    }

    @Test
    void aDeletedSessionIsGoneAndNoLongerCounted() {
        InMemorySessionStore store = store(3);
        create(store, session(1));
        create(store, session(2));
        store.delete(id(1)).toCompletableFuture().join();
        store.delete(id(9)).toCompletableFuture().join();
        assertThat(holds(store, 1)).isFalse();
        assertThat(holds(store, 2)).isTrue();
        assertThat(store.estimatedSize()).isEqualTo(1);
    }

    @Test
    void aClosedStoreHoldsNothing() {
        InMemorySessionStore store = store(3);
        create(store, session(1));
        store.close();
        assertThat(holds(store, 1)).isFalse();
        assertThat(store.estimatedSize()).isZero();
    }
}
