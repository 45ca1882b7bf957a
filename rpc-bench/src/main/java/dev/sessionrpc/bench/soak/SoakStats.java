package dev.sessionrpc.bench.soak;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Everything the soak counts, shared by the event loops (LongAdders, HdrHistogram recorders)
 * and read by the main thread for the interval lines and the summary.
 */
final class SoakStats {

    static final long MAX_TRACKED_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Every answered request of the well-behaved connections, from its intended send time. */
    final Recorder all = new Recorder(MAX_TRACKED_NANOS, 3);
    /** session.get only. */
    final Recorder gets = new Recorder(MAX_TRACKED_NANOS, 3);

    final Map<Kind, LongAdder> sent = adders();
    final Map<Kind, LongAdder> answered = adders();
    /** The slowest answer of each kind, nanoseconds. */
    final Map<Kind, LongAccumulator> slowest = maxima();
    final LongAdder ok = new LongAdder();
    final LongAdder expectedErrors = new LongAdder();

    // errors of the well-behaved connections
    final LongAdder wrong = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder unexpectedCloses = new LongAdder();
    final LongAdder lostInClose = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder closeNotAnswered = new LongAdder();

    // not errors: what the generator itself did or skipped
    final LongAdder opened = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder createsDeferred = new LongAdder();
    final LongAdder notSent = new LongAdder();
    /** Replies that came after their request had timed out (counted once, as the timeout). */
    final LongAdder late = new LongAdder();
    /** Reconnects that found no idle socket to close. */
    final LongAdder reconnectsSkipped = new LongAdder();

    // the non-reading clients
    final LongAdder badOpened = new LongAdder();
    final LongAdder badSent = new LongAdder();
    final LongAdder badPings = new LongAdder();
    final LongAdder badBlockedTicks = new LongAdder();
    final LongAdder badClosed = new LongAdder();
    final LongAdder badConnectFailures = new LongAdder();

    private static Map<Kind, LongAccumulator> maxima() {
        Map<Kind, LongAccumulator> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, new LongAccumulator(Math::max, 0));
        }
        return m;
    }

    private static Map<Kind, LongAdder> adders() {
        Map<Kind, LongAdder> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, new LongAdder());
        }
        return m;
    }

    void record(Kind kind, long nanos) {
        long v = Math.min(Math.max(nanos, 1), MAX_TRACKED_NANOS);
        all.recordValue(v);
        slowest.get(kind).accumulate(v);
        if (kind == Kind.GET) {
            gets.recordValue(v);
        }
    }

    long errors() {
        return wrong.sum() + unmatched.sum() + timeouts.sum() + unexpectedCloses.sum() + lostInClose.sum()
                + connectFailures.sum() + closeNotAnswered.sum();
    }

    long sentTotal() {
        return sent.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
