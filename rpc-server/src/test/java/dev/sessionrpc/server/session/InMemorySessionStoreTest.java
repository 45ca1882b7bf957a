package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemorySessionStoreTest {

    private static final long TTL = 600;
    private static final long GRACE = 3600;

    private final MutableClock clock = MutableClock.atStepStart();
    private final ServerMetrics metrics = ServerMetrics.prometheus();

    private InMemorySessionStore store(long capacity) {
        return new InMemorySessionStore(capacity, Duration.ofSeconds(GRACE), clock, metrics);
    }

    private StoredSession session(int n) {
        long now = clock.epochSecond();
        return new StoredSession(String.format("%064x", n), "a".repeat(64), "b".repeat(64), "A".repeat(64),
                now, now + TTL, now, new ClientInfo("Linux", "Test", "1.0.0"), "10.0.0.1");
    }

    private static String id(int n) {
        return String.format("%064x", n);
    }

    private boolean holds(SessionStore store, int n) {
        return store.find(id(n)).toCompletableFuture().join().isPresent();
    }

    /** What session.get does with a session: find it, then move its expiry to now + TTL. */
    private void use(SessionStore store, int n) {
        store.find(id(n)).toCompletableFuture().join();
        store.touch(id(n), clock.epochSecond(), clock.epochSecond() + TTL).toCompletableFuture().join();
    }

    private double evicted() {
        return metrics.registry().get("rpc_sessions_evicted").counter().count();
    }

    @Test
    void newSessionsSurviveAFullStoreWhoseOlderSessionsWereInUse() {
        InMemorySessionStore store = store(100);
        for (int n = 0; n < 100; n++) {
            store.create(session(n));
            use(store, n);
            use(store, n);
        }
        clock.advance(Duration.ofSeconds(10));
        for (int n = 1000; n < 1200; n++) {
            store.create(session(n));
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
        store.create(session(1));
        clock.advance(Duration.ofSeconds(TTL + 1));
        store.create(session(2));
        store.create(session(3));
        store.create(session(4));
        assertThat(holds(store, 1)).as("expired, in its grace period").isFalse();
        assertThat(holds(store, 2)).isTrue();
        assertThat(holds(store, 3)).isTrue();
        assertThat(holds(store, 4)).isTrue();
        assertThat(evicted()).isEqualTo(1);
    }

    @Test
    void aTouchedSessionOutlivesAnUntouchedOneCreatedAfterIt() {
        InMemorySessionStore store = store(3);
        store.create(session(1));
        clock.advance(Duration.ofSeconds(1));
        store.create(session(2));
        clock.advance(Duration.ofSeconds(1));
        store.create(session(3));
        clock.advance(Duration.ofSeconds(1));
        use(store, 1);
        store.create(session(4));
        assertThat(holds(store, 2)).as("least recently created or touched").isFalse();
        assertThat(holds(store, 1)).as("touched after 2 and 3 were created").isTrue();
        assertThat(holds(store, 3)).isTrue();
        assertThat(holds(store, 4)).isTrue();
        store.create(session(5));
        assertThat(holds(store, 3)).as("next in line").isFalse();
        assertThat(holds(store, 1)).isTrue();
        assertThat(evicted()).isEqualTo(2);
    }

    @Test
    void creatingFarPastTheCapacityKeepsTheStoreAtItsCapacityAndCountsEveryEviction() {
        InMemorySessionStore store = store(5_000);
        for (int n = 0; n < 50_000; n++) {
            store.create(session(n));
        }
        assertThat(store.capacity()).isEqualTo(5_000);
        assertThat(store.estimatedSize()).isEqualTo(5_000);
        assertThat(evicted()).isEqualTo(45_000);
        assertThat(holds(store, 49_999)).isTrue();
        assertThat(metrics.scrape()).contains("rpc_sessions_evicted_total 45000.0").contains("rpc_sessions_stored 5000.0");
    }

    @Test
    void aSessionIsKeptThroughTheLastSecondOfGraceAndForgottenWithoutCountingAnEviction() {
        InMemorySessionStore store = store(3);
        StoredSession s = session(1);
        store.create(s);
        clock.set(Instant.ofEpochSecond(s.expires() + GRACE).plusMillis(999));
        assertThat(holds(store, 1)).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(holds(store, 1)).isFalse();
        assertThat(store.touch(id(1), clock.epochSecond(), clock.epochSecond() + TTL).toCompletableFuture().join()).isEmpty();
        store.create(session(2));
        assertThat(store.estimatedSize()).isEqualTo(1);
        assertThat(evicted()).isZero();
    }

    @Test
    void aTouchMovesTheTimesForwardButNeverBack() {
        InMemorySessionStore store = store(3);
        StoredSession s = session(1);
        store.create(s);
        StoredSession touched = store.touch(id(1), s.created() + 50, s.created() + 50 + TTL).toCompletableFuture().join()
                .orElseThrow();
        assertThat(touched.expires()).isEqualTo(s.created() + 50 + TTL);
        StoredSession late = store.touch(id(1), s.created() + 40, s.created() + 40 + TTL).toCompletableFuture().join()
                .orElseThrow();
        assertThat(late.expires()).isEqualTo(touched.expires());
        assertThat(late.lastActive()).isEqualTo(s.created() + 50);
        assertThat(store.find(id(1)).toCompletableFuture().join()).contains(late);
    }
}
