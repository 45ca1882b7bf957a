package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InMemoryCreateThrottleTest {

    private final MutableClock clock = MutableClock.atStepStart();
    private final AddressGroups groups = new AddressGroups(AddressGroups.DEFAULT_IPV6_PREFIX);

    private AddressGroups.Group ipv4(int n) throws Exception {
        return groups.groupOf(InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n}));
    }

    /** The throttle's answer, which it must have ready when it returns. */
    private static long acquire(CreateThrottle throttle, AddressGroups.Group group) {
        CompletableFuture<Long> answer = throttle.acquire(group).toCompletableFuture();
        assertThat(answer).isCompleted();
        return answer.join();
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
        InMemoryCreateThrottle throttle = new InMemoryCreateThrottle(1_000_000, Duration.ofSeconds(60), clock);
        for (int n = 0; n < 100_000; n++) {
            assertThat(acquire(throttle, ipv4(n))).isZero();
        }
        long bytesPerAddress = (usedHeap() - before) / 100_000;
        assertThat(throttle.trackedGroups()).isEqualTo(100_000);
        // measured at about 250 bytes; the old ring of timestamps cost 8 bytes times the limit
        assertThat(bytesPerAddress).isLessThan(512);
    }

    @Test
    void retryAfterCountsFromTheSliceOfTheOldestCreateAndIsAtLeastOneSecond() throws Exception {
        InMemoryCreateThrottle throttle = new InMemoryCreateThrottle(1, Duration.ofSeconds(60), clock);
        clock.advance(Duration.ofMillis(3_700));
        assertThat(acquire(throttle, ipv4(1))).isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(acquire(throttle, ipv4(1))).as("its 5 s slice leaves the window 60 s after it began").isEqualTo(47);
        clock.advance(Duration.ofMillis(46_000));
        assertThat(acquire(throttle, ipv4(1))).as("300 ms to go").isEqualTo(1);
        clock.advance(Duration.ofMillis(300));
        assertThat(acquire(throttle, ipv4(1))).isZero();
    }

    @Test
    void eachAddressGroupHasItsOwnLimitAndIPv6AddressesInOneSlash64ShareOne() throws Exception {
        InMemoryCreateThrottle throttle = new InMemoryCreateThrottle(2, Duration.ofSeconds(60), clock);
        AddressGroups.Group a = groups.groupOf(InetAddress.getByName("2001:db8:1:2::1"));
        AddressGroups.Group sameSlash64 = groups.groupOf(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        AddressGroups.Group other = groups.groupOf(InetAddress.getByName("2001:db8:1:3::1"));
        assertThat(acquire(throttle, a)).isZero();
        assertThat(acquire(throttle, sameSlash64)).isZero();
        assertThat(acquire(throttle, a)).as("the /64's third create").isPositive();
        assertThat(acquire(throttle, other)).isZero();
        assertThat(acquire(throttle, ipv4(1))).isZero();
    }

    @Test
    void aRefusedCreateIsNotCountedSoTheWindowFreesOnTime() throws Exception {
        InMemoryCreateThrottle throttle = new InMemoryCreateThrottle(1, Duration.ofSeconds(60), clock);
        assertThat(acquire(throttle, ipv4(1))).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(acquire(throttle, ipv4(1))).isPositive();
        }
        clock.advance(Duration.ofSeconds(60));
        assertThat(acquire(throttle, ipv4(1))).isZero();
    }

    @Test
    void groupsNotSeenForAWholeWindowAreForgotten() throws Exception {
        InMemoryCreateThrottle throttle = new InMemoryCreateThrottle(5, Duration.ofSeconds(60), clock);
        for (int n = 0; n < 10; n++) {
            acquire(throttle, ipv4(n));
        }
        assertThat(throttle.trackedGroups()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(61));
        assertThat(throttle.trackedGroups()).isZero();
    }
}
