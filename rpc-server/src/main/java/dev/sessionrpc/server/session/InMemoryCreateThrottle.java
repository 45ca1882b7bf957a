package dev.sessionrpc.server.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionrpc.server.address.AddressGroups;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Limits how many sessions one client address group may create in a sliding window (seed 001's
 * SESSION_CREATE_TIMEOUT). Each group keeps a fixed number of counters, one per slice of the
 * window, so what a tracked group costs is fixed and does not depend on the limit. A create is
 * allowed while the slices still in the window hold fewer than the limit; a slice leaves the
 * window whole, so a create is forgotten up to one slice (a twelfth of the window) early. Groups
 * not seen for a whole window are forgotten, and the table holds at most 100,000 groups, about
 * 25 MB. Counts are this process's own, so each server node allows the limit on its own; every
 * stage is already complete when returned.
 */
public final class InMemoryCreateThrottle implements CreateThrottle {

    /** Slices of the window; 5 s each for the default 60 s window. */
    static final int SLICES = 12;

    /** A tracked group measured at 253 bytes (key, counters, the table's entry): about 25 MB in all. */
    static final long MAX_TRACKED_GROUPS = 100_000;

    private final int limit;
    private final long sliceMillis;
    private final Clock clock;
    private final Cache<AddressGroups.Group, Window> recent;

    public InMemoryCreateThrottle(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.sliceMillis = Math.max(1, (window.toMillis() + SLICES - 1) / SLICES);
        this.clock = clock;
        this.recent = Caffeine.newBuilder()
                .maximumSize(MAX_TRACKED_GROUPS)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterAccess(Duration.ofMillis(sliceMillis * SLICES))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public CompletionStage<Long> acquire(AddressGroups.Group group) {
        return CompletableFuture.completedFuture(tryAcquire(group));
    }

    private long tryAcquire(AddressGroups.Group group) {
        long now = clock.millis();
        Window window = recent.get(group, k -> new Window());
        synchronized (window) {
            long slice = window.advanceTo(Math.floorDiv(now, sliceMillis));
            long waitUntilSlice = window.tryCount(slice, limit);
            if (waitUntilSlice < 0) {
                return 0;
            }
            long waitMillis = waitUntilSlice * sliceMillis - now;
            return Math.max(1, (waitMillis + 999) / 1000);
        }
    }

    /** Groups tracked now (for tests). */
    long trackedGroups() {
        recent.cleanUp();
        return recent.estimatedSize();
    }

    /** Creates per slice for the last {@link #SLICES} slices, in a ring indexed by slice number. */
    private static final class Window {
        private final int[] counts = new int[SLICES];
        private long newest = Long.MIN_VALUE;

        /** Moves the ring forward to {@code slice}, clearing slices that left; returns the current slice. */
        long advanceTo(long slice) {
            if (newest == Long.MIN_VALUE || slice - newest >= SLICES) {
                Arrays.fill(counts, 0);
                newest = slice;
            }
            while (newest < slice) {
                newest++;
                counts[Math.floorMod(newest, SLICES)] = 0;
            }
            return newest; // a clock that stepped back counts into the newest slice
        }

        /**
         * Counts one create in {@code slice} if fewer than {@code limit} are in the window;
         * returns -1 then, else the first slice number at which enough have left the window.
         */
        long tryCount(long slice, int limit) {
            long total = 0;
            for (int c : counts) {
                total += c;
            }
            if (total < limit) {
                counts[Math.floorMod(slice, SLICES)]++;
                return -1;
            }
            for (long s = slice - SLICES + 1; s <= slice; s++) {
                total -= counts[Math.floorMod(s, SLICES)];
                if (total < limit) {
                    return s + SLICES;
                }
            }
            return slice + SLICES;
        }
    }
}
