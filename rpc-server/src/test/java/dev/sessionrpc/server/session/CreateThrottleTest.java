package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CreateThrottleTest {

    private final MutableClock clock = MutableClock.atStepStart();
    private final AddressGroups groups = new AddressGroups(AddressGroups.DEFAULT_IPV6_PREFIX);

    private AddressGroups.Group ipv4(int n) throws Exception {
        return groups.groupOf(InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n}));
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    @Test
    void aHundredThousandAddressesUnderALimitOfAMillionTakeAFewHundredBytesEach() throws Exception {
        long before = usedHeap();
        CreateThrottle throttle = new CreateThrottle(1_000_000, Duration.ofSeconds(60), clock);
        for (int n = 0; n < 100_000; n++) {
            assertThat(throttle.tryAcquire(ipv4(n))).isZero();
        }
        long bytesPerAddress = (usedHeap() - before) / 100_000;
        assertThat(throttle.trackedGroups()).isEqualTo(100_000);
        // measured at about 250 bytes; the old ring of timestamps cost 8 bytes times the limit
        assertThat(bytesPerAddress).isLessThan(512);
    }

    @Test
    void retryAfterCountsFromTheSliceOfTheOldestCreateAndIsAtLeastOneSecond() throws Exception {
        CreateThrottle throttle = new CreateThrottle(1, Duration.ofSeconds(60), clock);
        clock.advance(Duration.ofMillis(3_700));
        assertThat(throttle.tryAcquire(ipv4(1))).isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.tryAcquire(ipv4(1))).as("its 5 s slice leaves the window 60 s after it began").isEqualTo(47);
        clock.advance(Duration.ofMillis(46_000));
        assertThat(throttle.tryAcquire(ipv4(1))).as("300 ms to go").isEqualTo(1);
        clock.advance(Duration.ofMillis(300));
        assertThat(throttle.tryAcquire(ipv4(1))).isZero();
    }
}
