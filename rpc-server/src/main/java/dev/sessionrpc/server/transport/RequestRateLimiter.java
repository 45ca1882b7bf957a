package dev.sessionrpc.server.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How fast one connection may send requests: a token bucket that refills at the configured rate
 * and holds up to twice that, so a client may burst for a second but not sustain more. A request
 * past it is answered {@code TooManyRequests} with {@code retry_after}, never dropped, and the
 * socket stays open; without it one connection could keep a core busy for everyone. Belongs to
 * one connection and is used from its event loop only.
 */
public final class RequestRateLimiter {

    /** The limiter of a connection, shared by its HTTP and (after an upgrade) WebSocket handlers. */
    public static final AttributeKey<RequestRateLimiter> KEY = AttributeKey.valueOf("rpc.rate-limiter");

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final RequestRateLimiter UNLIMITED = new RequestRateLimiter(0, () -> 0);

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /** @param perSecond requests per second; 0 switches the limit off */
    public RequestRateLimiter(int perSecond, LongSupplier nanoTime) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond must not be negative, was " + perSecond);
        }
        this.perSecond = perSecond;
        this.burst = 2.0 * perSecond;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** The connection's limiter; none set (a pipeline assembled without the initializer) means no limit. */
    public static RequestRateLimiter of(Channel channel) {
        RequestRateLimiter limiter = channel.attr(KEY).get();
        return limiter != null ? limiter : UNLIMITED;
    }

    /**
     * Takes one request's token.
     *
     * @return 0 when the request may run, otherwise the whole seconds until it would (at least 1)
     */
    public long tryAcquire() {
        if (perSecond == 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / NANOS_PER_SECOND);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
}
