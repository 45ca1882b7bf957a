package dev.sessionrpc.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CreateLimiterTest {

    private static final long MINUTE = 60_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000);
    private final CreateLimiter limiter = new CreateLimiter(3, 25, MINUTE, now::get);

    @Test
    void anAddressGetsItsLimitPerWindowAndNoMore() {
        for (int i = 0; i < 25; i++) {
            assertThat(limiter.tryAcquire(0)).as("create %d", i).isTrue();
            now.addAndGet(1_000_000_000L);
        }
        assertThat(limiter.tryAcquire(0)).isFalse();
    }

    @Test
    void addressesAreCountedSeparately() {
        for (int i = 0; i < 25; i++) {
            limiter.tryAcquire(1);
        }
        assertThat(limiter.tryAcquire(1)).isFalse();
        assertThat(limiter.tryAcquire(0)).isTrue();
        assertThat(limiter.tryAcquire(2)).isTrue();
    }

    @Test
    void roomComesBackOneByOneAsTheWindowSlides() {
        long first = now.get();
        for (int i = 0; i < 25; i++) {
            limiter.tryAcquire(0);
            now.addAndGet(1_000_000_000L);
        }
        now.set(first + MINUTE - 1);
        assertThat(limiter.tryAcquire(0)).isFalse();
        now.set(first + MINUTE);
        assertThat(limiter.tryAcquire(0)).isTrue();
        assertThat(limiter.tryAcquire(0)).as("the second create left the window a second later").isFalse();
        now.addAndGet(1_000_000_000L);
        assertThat(limiter.tryAcquire(0)).isTrue();
    }
}
