package dev.sessionrpc.server.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Limits how many sessions one client address may create in a sliding window (seed 001's
 * SESSION_CREATE_TIMEOUT). Each address keeps the times of its last N creations in a ring; a
 * create is allowed when the oldest of them has left the window. Addresses not seen for a whole
 * window are forgotten, and the table itself is bounded.
 */
public final class CreateThrottle {

    private static final long MAX_TRACKED_ADDRESSES = 1_000_000;

    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final Cache<String, Ring> recent;

    public CreateThrottle(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.recent = Caffeine.newBuilder()
                .maximumSize(MAX_TRACKED_ADDRESSES)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterAccess(window)
                .executor(Runnable::run)
                .build();
    }

    /**
     * Counts a create for this address if the window has room.
     *
     * @return 0 when allowed, otherwise the whole seconds to wait until it would be (at least 1)
     */
    public long tryAcquire(String address) {
        long now = clock.millis();
        Ring ring = recent.get(address, k -> new Ring(limit));
        synchronized (ring) {
            long oldest = ring.oldest();
            if (ring.size < limit || oldest <= now - windowMillis) {
                ring.add(now);
                return 0;
            }
            long waitMillis = oldest + windowMillis - now;
            return Math.max(1, (waitMillis + 999) / 1000);
        }
    }

    /** The times of the last {@code capacity} creations, oldest first when full. */
    private static final class Ring {
        private final long[] times;
        private int next;
        private int size;

        Ring(int capacity) {
            times = new long[capacity];
        }

        long oldest() {
            return size < times.length ? Long.MIN_VALUE : times[next];
        }

        void add(long t) {
            times[next] = t;
            next = (next + 1) % times.length;
            size = Math.min(size + 1, times.length);
        }
    }
}
