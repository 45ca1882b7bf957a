package dev.sessionrpc.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Everything one run counts, shared by all connections. Latency goes to an HdrHistogram
 * {@link Recorder} (wait-free for the event loops, interval snapshots for the main thread), so
 * the warm-up can be cut off without stopping the load. Counters are totals for the whole run;
 * {@link #snapshot()} lets the caller subtract the warm-up.
 */
public final class LoadStats {

    /** Latencies above this are recorded as this (and still visible as the max). */
    static final long MAX_TRACKED_NANOS = TimeUnit.MINUTES.toNanos(5);

    final Recorder latency = new Recorder(MAX_TRACKED_NANOS, 3);
    /** Open loop only: latency from the moment a request actually went out (service time seen by the client). */
    final Recorder fromSend = new Recorder(MAX_TRACKED_NANOS, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder unexpected = new LongAdder();
    final LongAdder invalid = new LongAdder();
    final LongAdder unsent = new LongAdder();
    final LongAdder inFlight = new LongAdder();
    final Map<Integer, LongAdder> errorCodes = new ConcurrentHashMap<>();

    /** True while connections should send. */
    volatile boolean sending;

    void error(int code) {
        errors.increment();
        errorCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void record(long nanos) {
        latency.recordValue(Math.min(Math.max(nanos, 0), MAX_TRACKED_NANOS));
    }

    void recordFromSend(long nanos) {
        fromSend.recordValue(Math.min(Math.max(nanos, 0), MAX_TRACKED_NANOS));
    }

    public Snapshot snapshot() {
        Map<Integer, Long> codes = new TreeMap<>();
        errorCodes.forEach((k, v) -> codes.put(k, v.sum()));
        return new Snapshot(sent.sum(), ok.sum(), errors.sum(), timeouts.sum(), malformed.sum(), unexpected.sum(),
                invalid.sum(), unsent.sum(), codes);
    }

    /** Counter values at one moment. */
    public record Snapshot(long sent, long ok, long errors, long timeouts, long malformed, long unexpected,
                           long invalid, long unsent, Map<Integer, Long> errorCodes) {

        public Snapshot minus(Snapshot earlier) {
            Map<Integer, Long> codes = new TreeMap<>(errorCodes);
            earlier.errorCodes.forEach((k, v) -> codes.merge(k, -v, Long::sum));
            codes.values().removeIf(v -> v == 0);
            return new Snapshot(sent - earlier.sent, ok - earlier.ok, errors - earlier.errors,
                    timeouts - earlier.timeouts, malformed - earlier.malformed, unexpected - earlier.unexpected,
                    invalid - earlier.invalid, unsent - earlier.unsent, codes);
        }

        /** Every reply or non-reply that was not a success. */
        public long failures() {
            return errors + timeouts + malformed + unexpected + invalid + unsent;
        }
    }
}
