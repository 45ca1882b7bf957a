package dev.sessionrpc.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for one unit of work that a client delivers piece by piece (a WebSocket message,
 * an HTTP request): started by its first byte, stopped when it is whole. Without it a client
 * that sends one byte now and then keeps a connection and its buffers forever, since every byte
 * counts as activity for the idle timers. Used from the connection's event loop only.
 */
final class ProgressTimer {

    private final Duration timeout;
    private final Runnable onExpiry;
    private ScheduledFuture<?> timer;

    ProgressTimer(Duration timeout, Runnable onExpiry) {
        this.timeout = timeout;
        this.onExpiry = onExpiry;
    }

    /** Starts the clock unless it already runs. */
    void start(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                onExpiry.run();
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    boolean running() {
        return timer != null;
    }

    Duration timeout() {
        return timeout;
    }
}
