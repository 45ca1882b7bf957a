package dev.sessionrpc.server.session;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store: sessions in this process, never more than a fixed capacity, so that a flood
 * of creates costs evictions and never an out-of-memory. Past the capacity the session that was
 * least recently created or successfully touched goes first; because a touch sets
 * {@code expires = now + ttl}, that is also the one that expires first, so expired sessions are
 * evicted before live ones and a session just created is never the one dropped (a frequency-based
 * cache such as Caffeine's W-TinyLFU refused new sessions in favour of older, used ones). Each
 * session is kept through the whole second {@code retainUntil} its caller gave and forgotten
 * after it, read off the injected clock. One {@link SessionRecord} per session, which also carries
 * the expected answers of its current window. Ids are spread over segments, each an
 * insertion-ordered map under its own short lock, so the order is exact within a segment and close
 * to it overall. Every stage is already complete when returned.
 */
public final class InMemorySessionStore implements SessionStore {

    private static final Logger log = LoggerFactory.getLogger(InMemorySessionStore.class);

    /** Below this many sessions per segment the store uses fewer segments, keeping its order exact. */
    static final int MIN_SESSIONS_PER_SEGMENT = 1024;
    static final int MAX_SEGMENTS = 64;

    private final Segment[] segments;
    private final int segmentMask;
    private final Clock clock;
    private final AtomicLong size = new AtomicLong();
    private final Counter evictions;

    public InMemorySessionStore(long capacity, Clock clock, ServerMetrics metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.clock = clock;
        int count = (int) Math.min(MAX_SEGMENTS, Long.highestOneBit(Math.max(1, capacity / MIN_SESSIONS_PER_SEGMENT)));
        this.segments = new Segment[count];
        this.segmentMask = count - 1;
        for (int i = 0; i < count; i++) {
            segments[i] = new Segment(capacity / count + (i < capacity % count ? 1 : 0));
        }
        this.evictions = metrics.counter("rpc_sessions_evicted",
                "Sessions dropped before their time because the store was full");
        metrics.gauge("rpc_sessions_capacity", "Sessions the in-memory store holds before it evicts", this,
                InMemorySessionStore::capacity);
        log.info("sessions: up to {} in memory", capacity());
    }

    @Override
    public CompletionStage<Void> create(StoredSession session, long retainUntil) {
        long now = nowSeconds();
        Segment segment = segmentOf(session.id());
        synchronized (segment) {
            dropForgotten(segment, now);
            if (segment.sessions.remove(session.id()) == null) {
                if (segment.sessions.size() >= segment.capacity) {
                    Iterator<SessionRecord> eldest = segment.sessions.values().iterator();
                    eldest.next();
                    eldest.remove();
                    evictions.increment();
                } else {
                    size.incrementAndGet();
                }
            }
            segment.sessions.put(session.id(), new SessionRecord(session, retainUntil));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> find(String id) {
        long now = nowSeconds();
        Segment segment = segmentOf(id);
        SessionRecord found;
        synchronized (segment) {
            found = segment.sessions.get(id);
        }
        return CompletableFuture.completedFuture(found == null || isForgotten(found, now) ? Optional.empty() : Optional.of(found));
    }

    @Override
    public CompletionStage<Optional<SessionTimes>> touch(String id, long now, long expires, long retainUntil) {
        long nowSeconds = nowSeconds();
        Segment segment = segmentOf(id);
        SessionRecord updated = null;
        synchronized (segment) {
            SessionRecord current = segment.sessions.remove(id);
            if (current != null && isForgotten(current, nowSeconds)) {
                size.decrementAndGet();
            } else if (current != null) {
                // re-inserted at the tail: the most recently used, and the latest to expire
                updated = current.touched(now, expires, retainUntil);
                segment.sessions.put(id, updated);
            }
        }
        return CompletableFuture.completedFuture(updated == null ? Optional.empty()
                : Optional.of(new SessionTimes(updated.session().expires(), updated.session().lastActive())));
    }

    @Override
    public CompletionStage<Void> delete(String id) {
        Segment segment = segmentOf(id);
        synchronized (segment) {
            if (segment.sessions.remove(id) != null) {
                size.decrementAndGet();
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Forgets every session. */
    @Override
    public void close() {
        for (Segment segment : segments) {
            synchronized (segment) {
                size.addAndGet(-segment.sessions.size());
                segment.sessions.clear();
            }
        }
    }

    @Override
    public long estimatedSize() {
        return size.get();
    }

    /** How many sessions this store holds at most. */
    public long capacity() {
        long total = 0;
        for (Segment s : segments) {
            total += s.capacity;
        }
        return total;
    }

    /** Drops sessions past their {@code retainUntil} from the head, where the earliest to expire sit. */
    private void dropForgotten(Segment segment, long now) {
        Iterator<SessionRecord> it = segment.sessions.values().iterator();
        while (it.hasNext() && isForgotten(it.next(), now)) {
            it.remove();
            size.decrementAndGet();
        }
    }

    private static boolean isForgotten(SessionRecord r, long now) {
        return now > r.retainUntil();
    }

    private long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000);
    }

    private Segment segmentOf(String id) {
        int h = id.hashCode();
        return segments[(h ^ (h >>> 16)) & segmentMask];
    }

    /** One share of the sessions, oldest (least recently created or touched) first. */
    private static final class Segment {
        final int capacity;
        final Map<String, SessionRecord> sessions = new LinkedHashMap<>();

        Segment(long capacity) {
            this.capacity = (int) Math.min(Integer.MAX_VALUE, capacity);
        }
    }
}
