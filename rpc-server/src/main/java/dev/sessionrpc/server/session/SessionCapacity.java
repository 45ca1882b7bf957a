package dev.sessionrpc.server.session;

/**
 * How many sessions the in-memory store may hold, so that a store filled to its capacity cannot
 * exhaust the heap: a share of the maximum heap divided by a conservative cost of one stored
 * session. The heap size is a parameter rather than read here, so that the rule can be checked
 * for any heap without starting a JVM with that heap.
 */
public final class SessionCapacity {

    /** The share of the maximum heap that sessions may fill; the rest is for everything else. */
    public static final int HEAP_PERCENT = 40;

    /**
     * What one stored session is assumed to cost, its map entry included. Measured (JOL and heap
     * deltas over 200,000 sessions, compressed references) at 780 to 800 bytes in
     * {@link InMemorySessionStore} for realistic values: four 64-character ids and secrets, short
     * client labels, an IPv4 or IPv6 address text. Its {@link SessionRecord} and, once it is used,
     * the expected answers of its window add about 170 bytes by object layout (not measured) for
     * the default window of 2 steps either side, 20 more per further step. Rounded up for
     * 32-character labels and for heaps without compressed references.
     */
    public static final long BYTES_PER_SESSION = 1024;

    private static final long MIB = 1024 * 1024;

    private SessionCapacity() {
    }

    /** The most sessions that fit in a heap of at most {@code maxHeapBytes}. */
    public static long fitting(long maxHeapBytes) {
        return Math.max(1, maxHeapBytes / 100 * HEAP_PERCENT / BYTES_PER_SESSION);
    }

    /**
     * The capacity to use: what fits when {@code configured} is 0, else {@code configured} when it
     * fits.
     *
     * @throws IllegalArgumentException when the configured number does not fit, saying what does
     */
    public static long resolve(long configured, long maxHeapBytes) {
        long fitting = fitting(maxHeapBytes);
        if (configured == 0) {
            return fitting;
        }
        if (configured < 0) {
            throw new IllegalArgumentException("--max-sessions must be 0 (fit the heap) or more, was " + configured);
        }
        if (configured > fitting) {
            throw new IllegalArgumentException("--max-sessions " + configured + " does not fit in a "
                    + maxHeapBytes / MIB + " MiB heap; at most " + fitting + " fit (raise -Xmx or lower --max-sessions)");
        }
        return configured;
    }
}
