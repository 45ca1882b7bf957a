package dev.sessionrpc.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests one connection has sent and not yet seen answered, in the order sent. Replies
 * are matched by id; a reply without an id (the answer to a frame that was not JSON) is matched
 * to the oldest request that could only be answered that way. At soak rates a connection has
 * one or two requests out, so a list is all this needs. Not thread-safe: one event loop owns it.
 */
public final class PendingRequests {

    /**
     * One request out: latency counts from {@code intendedNanos} (when the schedule wanted it
     * sent), the timeout from {@code sentNanos}. {@code context} is what checking its reply needs.
     */
    public record Pending(long id, Kind kind, long intendedNanos, long sentNanos, Object context) {
    }

    /** How many timed-out requests are remembered, so that their late replies are told apart from stray ones. */
    static final int REMEMBERED_EXPIRED = 64;

    private final List<Pending> pending = new ArrayList<>(4);
    private final long[] expiredIds = new long[REMEMBERED_EXPIRED];
    private int expiredNext;
    private int expiredIdless;

    public void add(Pending p) {
        pending.add(p);
    }

    public int size() {
        return pending.size();
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Removes and returns the request with this id, or null when none is out. */
    public Pending take(long id) {
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            if (p.id() == id && !p.kind().answeredWithoutId()) {
                return pending.remove(i);
            }
        }
        return null;
    }

    /** Removes and returns the oldest request whose reply carries no id, or null when none is out. */
    public Pending takeIdless() {
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).kind().answeredWithoutId()) {
                return pending.remove(i);
            }
        }
        return null;
    }

    /**
     * Removes the requests sent more than {@code timeoutNanos} before {@code now} and remembers
     * the last {@link #REMEMBERED_EXPIRED} of them; returns how many.
     */
    public int expire(long now, long timeoutNanos) {
        int before = pending.size();
        pending.removeIf(p -> {
            if (now - p.sentNanos() <= timeoutNanos) {
                return false;
            }
            if (p.kind().answeredWithoutId()) {
                expiredIdless++;
            } else {
                expiredIds[expiredNext] = p.id();
                expiredNext = (expiredNext + 1) % REMEMBERED_EXPIRED;
            }
            return true;
        });
        return before - pending.size();
    }

    /**
     * Whether a reply that matched nothing out is the late answer to a request that already
     * timed out (id {@link dev.sessionrpc.bench.load.ReplyScanner#NO_ID} for an idless reply).
     * Each timed-out request can be claimed once.
     */
    public boolean claimLate(long id, boolean idless) {
        if (idless) {
            if (expiredIdless > 0) {
                expiredIdless--;
                return true;
            }
            return false;
        }
        for (int i = 0; i < REMEMBERED_EXPIRED; i++) {
            if (expiredIds[i] == id && id != 0) {
                expiredIds[i] = 0;
                return true;
            }
        }
        return false;
    }

    /** Removes everything (the connection is gone); returns how many were out. */
    public int clear() {
        int n = pending.size();
        pending.clear();
        return n;
    }
}
