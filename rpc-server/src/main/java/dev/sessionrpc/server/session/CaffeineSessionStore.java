package dev.sessionrpc.server.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The default store: sessions in this process, in a bounded Caffeine map. Each entry expires at
 * its own {@code expires + grace}, read off the injected clock (so tests move time instead of
 * sleeping); past the entry limit the least recently used go first, counted as evictions.
 * Touches are atomic per entry. Every stage is already complete when returned.
 */
public final class CaffeineSessionStore implements SessionStore {

    private final Cache<String, StoredSession> sessions;

    public CaffeineSessionStore(long maxSessions, Duration grace, Clock clock, ServerMetrics metrics) {
        long graceSeconds = grace.toSeconds();
        Counter evictions = metrics.counter("rpc_sessions_evicted",
                "Sessions dropped before their time because the store was full");
        this.sessions = Caffeine.newBuilder()
                .maximumSize(maxSessions)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new Expiry<String, StoredSession>() {
                    @Override
                    public long expireAfterCreate(String key, StoredSession value, long currentTime) {
                        return nanosUntilGone(value, currentTime);
                    }

                    @Override
                    public long expireAfterUpdate(String key, StoredSession value, long currentTime, long currentDuration) {
                        return nanosUntilGone(value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, StoredSession value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }

                    /** Kept through the whole last second of grace, gone at the start of the next. */
                    private long nanosUntilGone(StoredSession s, long currentTimeNanos) {
                        long goneAtNanos = TimeUnit.SECONDS.toNanos(s.expires() + graceSeconds + 1);
                        return Math.max(0, goneAtNanos - currentTimeNanos);
                    }
                })
                .evictionListener((String id, StoredSession s, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .executor(Runnable::run)
                .build();
        metrics.gauge("rpc_sessions_stored", "Sessions stored now", this, CaffeineSessionStore::estimatedSize);
    }

    @Override
    public CompletionStage<Void> create(StoredSession session) {
        sessions.put(session.id(), session);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<StoredSession>> find(String id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(sessions.getIfPresent(id)));
    }

    @Override
    public CompletionStage<Optional<StoredSession>> touch(String id, long now, long newExpires) {
        StoredSession updated = sessions.asMap().computeIfPresent(id, (k, s) -> s.touchedAt(now, newExpires));
        return CompletableFuture.completedFuture(Optional.ofNullable(updated));
    }

    @Override
    public long estimatedSize() {
        return sessions.estimatedSize();
    }
}
