package dev.sessionrpc.bench.load;

/**
 * When each request of one open-loop connection is due: the {@code n}-th (from 0) at {@code
 * start + (n + phase) / rate}. Computed from the start each time rather than by adding a rounded
 * interval, so a rate whose interval is not a whole number of nanoseconds does not drift, and
 * connections spread over one interval by their phase instead of all sending at once. A request
 * keeps its due time as the start of its latency even when it is sent later.
 */
record OpenLoopSchedule(long startNanos, double requestsPerSecond, double phase) {

    OpenLoopSchedule {
        if (!(requestsPerSecond > 0) || phase < 0 || phase >= 1) {
            throw new IllegalArgumentException("rate must be positive and phase in [0, 1): " + requestsPerSecond + ", " + phase);
        }
    }

    /** The intended send time of request {@code n} (0-based), in {@link System#nanoTime()} terms. */
    long due(long n) {
        return startNanos + Math.round((n + phase) * 1e9 / requestsPerSecond);
    }
}
