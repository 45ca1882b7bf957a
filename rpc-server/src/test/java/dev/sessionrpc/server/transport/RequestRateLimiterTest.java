package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-connection token bucket, on a clock the test moves. */
class RequestRateLimiterTest {

    private long now = 1_000_000_000L;
    private final RequestRateLimiter limiter = new RequestRateLimiter(10, () -> now);

    private int allowedInARow() {
        int n = 0;
        while (limiter.tryAcquire() == 0) {
            n++;
        }
        return n;
    }

    @Test
    void aFreshConnectionMayBurstTwiceTheRateThenWaitsAtLeastOneSecond() {
        assertThat(allowedInARow()).isEqualTo(20);
        assertThat(limiter.tryAcquire()).isEqualTo(1);
    }

    @Test
    void theBucketRefillsAtTheRateAndNoFurtherThanTheBurst() {
        allowedInARow();
        now += TimeUnit.MILLISECONDS.toNanos(500);
        assertThat(allowedInARow()).isEqualTo(5);
        now += TimeUnit.MINUTES.toNanos(5);
        assertThat(allowedInARow()).isEqualTo(20);
    }

    @Test
    void aSustainedRateAtTheLimitIsNeverRefused() {
        allowedInARow();
        for (int i = 0; i < 1_000; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(100);
            assertThat(limiter.tryAcquire()).isZero();
        }
    }

    @Test
    void retryAfterRoundsUpToWholeSecondsForSlowRates() {
        RequestRateLimiter slow = new RequestRateLimiter(1, () -> now);
        assertThat(slow.tryAcquire()).isZero();
        assertThat(slow.tryAcquire()).isZero();
        assertThat(slow.tryAcquire()).isEqualTo(1);
        now += TimeUnit.MILLISECONDS.toNanos(200);
        assertThat(slow.tryAcquire()).isEqualTo(1);
    }

    @Test
    void zeroSwitchesTheLimitOff() {
        RequestRateLimiter off = new RequestRateLimiter(0, () -> now);
        for (int i = 0; i < 100_000; i++) {
            assertThat(off.tryAcquire()).isZero();
        }
    }
}
