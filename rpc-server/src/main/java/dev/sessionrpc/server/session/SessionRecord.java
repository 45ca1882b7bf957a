package dev.sessionrpc.server.session;

import java.util.Objects;

/**
 * One session as a store holds it: the stored value, the time until which the store keeps it
 * ({@code expires + grace}), and, in memory only, the expected answers of its current window. The
 * in-memory store hands out the same record to every lookup of a session until a touch replaces
 * it, and the replacement carries the answers on, so answers computed once serve every
 * {@code session.get} within a step, however many sessions are active. A remote store, which
 * cannot share memory between lookups, makes a new record per lookup (or keeps a near cache).
 */
public final class SessionRecord {

    private final StoredSession session;
    private final long retainUntil;
    private volatile ExpectedAnswers expectedAnswers;

    public SessionRecord(StoredSession session, long retainUntil) {
        this(session, retainUntil, null);
    }

    private SessionRecord(StoredSession session, long retainUntil, ExpectedAnswers expectedAnswers) {
        this.session = Objects.requireNonNull(session, "session");
        this.retainUntil = retainUntil;
        this.expectedAnswers = expectedAnswers;
    }

    public StoredSession session() {
        return session;
    }

    /** The last Unix second the store keeps this session. */
    public long retainUntil() {
        return retainUntil;
    }

    /**
     * This record after a touch: times moved forward only, the expected answers carried on, so
     * that a touch costs the next {@code session.get} no hashing.
     */
    SessionRecord touched(long now, long expires, long retainUntil) {
        return new SessionRecord(session.touchedAt(now, expires), Math.max(this.retainUntil, retainUntil), expectedAnswers);
    }

    /** The answers last computed for this session, or null. */
    ExpectedAnswers expectedAnswers() {
        return expectedAnswers;
    }

    /** Keeps answers for the next lookup; a racing check that computed its own may overwrite them, which costs only a hash. */
    void expectedAnswers(ExpectedAnswers answers) {
        this.expectedAnswers = answers;
    }

    @Override
    public String toString() {
        return "SessionRecord[" + session + ", retainUntil=" + retainUntil + "]";
    }
}
