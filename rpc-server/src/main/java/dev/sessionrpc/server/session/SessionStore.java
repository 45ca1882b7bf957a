package dev.sessionrpc.server.session;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where sessions live. Every method is asynchronous because a store may be remote (Redis for
 * several server nodes); none may assume the caller waits or that the store is in process.
 * A store keeps each session at least until {@code expires + grace} of its latest value.
 */
public interface SessionStore {

    /** Stores a new session. */
    CompletionStage<Void> create(StoredSession session);

    /** The session with this id, if the store still has it. */
    CompletionStage<Optional<StoredSession>> find(String id);

    /**
     * Atomically moves the session's {@code last_active} to {@code now} and {@code expires} to
     * {@code newExpires} (never backwards), and returns the new value; empty when it is gone.
     */
    CompletionStage<Optional<StoredSession>> touch(String id, long now, long newExpires);

    /** About how many sessions are stored (for metrics). */
    long estimatedSize();
}
