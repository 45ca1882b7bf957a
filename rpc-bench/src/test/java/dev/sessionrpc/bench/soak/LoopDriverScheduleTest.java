package dev.sessionrpc.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoopDriverScheduleTest {

    private static final double PER_NANO = 2000 / 1e9;
    private static final long RAMP = 60_000_000_000L;

    @Test
    void theRateClimbsOverTheRampAndThenHolds() {
        assertThat(LoopDriver.requestsDueBy(0, PER_NANO, RAMP)).isZero();
        // half the ramp: a quarter of what a full rate would have sent
        assertThat(LoopDriver.requestsDueBy(30_000_000_000L, PER_NANO, RAMP)).isEqualTo(15_000);
        assertThat(LoopDriver.requestsDueBy(RAMP, PER_NANO, RAMP)).isEqualTo(60_000);
        // after the ramp: 2000 a second
        assertThat(LoopDriver.requestsDueBy(RAMP + 10_000_000_000L, PER_NANO, RAMP)).isEqualTo(80_000);
    }

    @Test
    void eachRequestIsDueWhenTheCountReachesIt() {
        for (long k : new long[] {1, 100, 15_000, 59_999, 60_000, 80_000}) {
            long t = LoopDriver.requestTime(k, PER_NANO, RAMP);
            assertThat((double) LoopDriver.requestsDueBy(t + 1_000_000, PER_NANO, RAMP)).as("k=%d", k)
                    .isCloseTo(k, within(3.0));
        }
    }

    @Test
    void withoutARampTheScheduleIsEven() {
        assertThat(LoopDriver.requestsDueBy(1_000_000_000L, PER_NANO, 0)).isEqualTo(2000);
        assertThat(LoopDriver.requestTime(2000, PER_NANO, 0)).isEqualTo(1_000_000_000L);
    }
}
