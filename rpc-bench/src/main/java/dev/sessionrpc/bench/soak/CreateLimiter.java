package dev.sessionrpc.bench.soak;

import java.util.function.LongSupplier;

/**
 * Keeps the soak's {@code session.create} calls under the server's per-address throttle (by
 * default 30 per 60 s per client address): each source address may start at most {@code limit}
 * creates in any sliding window of {@code windowNanos}. A create the limiter refuses is simply
 * not sent (counted as deferred), so a throttle answer from the server means the server counts
 * differently than documented, and is an error. Thread-safe.
 */
public final class CreateLimiter {

    private final int limit;
    private final long windowNanos;
    private final LongSupplier clock;
    private final long[][] times;
    private final int[] next;
    private final int[] size;

    public CreateLimiter(int addresses, int limit, long windowNanos, LongSupplier nanoClock) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
        this.windowNanos = windowNanos;
        this.clock = nanoClock;
        this.times = new long[addresses][limit];
        this.next = new int[addresses];
        this.size = new int[addresses];
    }

    /** Takes one create for this address when its window has room; false when it has not. */
    public synchronized boolean tryAcquire(int address) {
        long now = clock.getAsLong();
        long[] ring = times[address];
        if (size[address] == limit && now - ring[next[address]] < windowNanos) {
            return false;
        }
        ring[next[address]] = now;
        next[address] = (next[address] + 1) % limit;
        size[address] = Math.min(size[address] + 1, limit);
        return true;
    }
}
