package dev.sessionrpc.client.session;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps the session in memory: for programs that create a fresh session on every start. */
public final class InMemorySessionStorage implements SessionStorage {

    private final AtomicReference<StoredSession> session = new AtomicReference<>();

    @Override
    public Optional<StoredSession> load() {
        return Optional.ofNullable(session.get());
    }

    @Override
    public void save(StoredSession s) {
        session.set(s);
    }

    @Override
    public void clear() {
        session.set(null);
    }
}
