package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.SessionIdentification;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.testing.MutableClock;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The expected answers live with each session, so there is no cache size past which
 * {@code session.get} starts hashing again (the old separate cache held 200,000 windows). The
 * sessions are put straight into the store with one shared secret and made active by the
 * verifier's check on their stored records (the hashing part of a first {@code session.get}), to
 * keep the test quick; a window of 0 steps makes that one hash per session.
 */
class MillionActiveSessionsTest {

    private static final int SESSIONS = 1_000_000;
    private static final String PUBLIC = "a".repeat(64);
    private static final String PRIVATE = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final String SECRET = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";
    private static final long TTL = 600;
    private static final long GRACE = 3600;
    private static final String ID_PREFIX = "0".repeat(48);

    private final MutableClock clock = MutableClock.atStepStart();
    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final ChallengeVerifier verifier = new ChallengeVerifier(0);

    private static String id(int n) {
        return ID_PREFIX + HexFormat.of().toHexDigits((long) n);
    }

    @Test
    void withAMillionActiveSessionsAGetWithinTheStepComputesNoAnswer() {
        // room to spare, so that no segment of the store evicts
        InMemorySessionStore store = new InMemorySessionStore(2L * SESSIONS, clock, metrics);
        SessionService service = new SessionService(store, new InMemoryCreateThrottle(1, Duration.ofSeconds(60), clock),
                verifier, new SessionService.Settings(Duration.ofSeconds(TTL), Duration.ofSeconds(GRACE)), clock, metrics);
        long now = clock.epochSecond();
        ClientInfo client = new ClientInfo("Linux", "Test", "1.0.0");
        for (int n = 0; n < SESSIONS; n++) {
            store.create(new StoredSession(id(n), PUBLIC, PRIVATE, SECRET, now, now + TTL, now, client, "10.0.0.1"),
                    now + TTL + GRACE);
        }
        String answer = new Challenge(SECRET, PRIVATE).answerAt(now);

        int refused = 0;
        for (int n = 0; n < SESSIONS; n++) {
            SessionRecord stored = store.find(id(n)).toCompletableFuture().join().orElseThrow();
            refused += verifier.verify(stored, answer, now) ? 0 : 1;
        }
        assertThat(refused).isZero();
        assertThat(verifier.answersComputed()).as("one answer per session to begin with").isEqualTo(SESSIONS);

        for (int n = 0; n < SESSIONS; n++) {
            service.get(new SessionIdentification(id(n), PUBLIC, answer)).toCompletableFuture().join();
        }
        assertThat(verifier.answersComputed()).as("none on the second get of each").isEqualTo(SESSIONS);
        assertThat(store.estimatedSize()).isEqualTo(SESSIONS);
    }
}
