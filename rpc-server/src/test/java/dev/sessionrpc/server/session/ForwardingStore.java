package dev.sessionrpc.server.session;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A store that hands every call to another, for tests that change one or two of its answers. */
class ForwardingStore implements SessionStore {

    private final SessionStore delegate;

    ForwardingStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletionStage<Void> create(StoredSession session, long retainUntil) {
        return delegate.create(session, retainUntil);
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> find(String id) {
        return delegate.find(id);
    }

    @Override
    public CompletionStage<Optional<SessionTimes>> touch(String id, long now, long expires, long retainUntil) {
        return delegate.touch(id, now, expires, retainUntil);
    }

    @Override
    public CompletionStage<Void> delete(String id) {
        return delegate.delete(id);
    }

    @Override
    public long estimatedSize() {
        return delegate.estimatedSize();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
