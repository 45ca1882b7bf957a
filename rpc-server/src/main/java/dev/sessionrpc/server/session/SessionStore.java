package dev.sessionrpc.server.session;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where sessions live. Every method but {@link #estimatedSize()} is asynchronous because a store
 * may be remote (Redis for several server nodes); none may assume the caller waits or that the
 * store is in process, and a stage may complete on the store's own threads. How long an expired
 * session is remembered is the caller's rule, not the store's: every write says until when the
 * store keeps the session ({@code retainUntil}, in Unix seconds), and after that second it is gone.
 */
public interface SessionStore extends AutoCloseable {

    /** Stores a new session, kept until {@code retainUntil}. */
    CompletionStage<Void> create(StoredSession session, long retainUntil);

    /** The session with this id, if the store still keeps it. */
    CompletionStage<Optional<SessionRecord>> find(String id);

    /**
     * Atomically moves the session's {@code last_active} to {@code now}, its {@code expires} to
     * {@code expires} and its retention to {@code retainUntil}, none of them backwards, and
     * returns the times it then has (never the secrets); empty when the store no longer keeps it.
     */
    CompletionStage<Optional<SessionTimes>> touch(String id, long now, long expires, long retainUntil);

    /** Forgets the session now; completes normally whether or not it was there. */
    CompletionStage<Void> delete(String id);

    /**
     * About how many sessions are stored, for metrics. Never blocks and never goes to the network:
     * a remote store answers from what it last learned.
     */
    long estimatedSize();

    /** Releases what the store holds (connections, threads, memory); no call is made after it. */
    @Override
    void close();
}
