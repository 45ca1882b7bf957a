package dev.sessionrpc.client.session;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a {@link SessionClient} keeps its session between calls and, for the file-backed kind,
 * between runs of the program. Implementations must be thread-safe; failures surface as
 * {@link java.io.UncheckedIOException}.
 */
public interface SessionStorage {

    /** The stored session, or empty when there is none. */
    Optional<StoredSession> load();

    /** Replaces the stored session. */
    void save(StoredSession session);

    /** Forgets the stored session. */
    void clear();

    /** Keeps the session for the life of the process. */
    static SessionStorage inMemory() {
        return new InMemorySessionStorage();
    }

    /** Keeps the session in a file readable by its owner only, replaced atomically on every save. */
    static SessionStorage file(Path path) {
        return new FileSessionStorage(path);
    }
}
