package dev.sessionrpc.server.transport;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One short line for what a client did wrong (a broken frame, a message past a limit, a
 * request that never finished), at most one line per kind per second; the lines held back are
 * counted into the next one. A client's mistakes are no server fault, so no stack trace, and a
 * client that repeats them thousands of times a second cannot flood the log.
 */
public final class ClientFaultLog {

    /** The logger for connection lines, shared with the opened and closed lines. */
    public static final Logger CONNECTIONS = LoggerFactory.getLogger("dev.sessionrpc.server.connections");
    static final ClientFaultLog SHARED = new ClientFaultLog(CONNECTIONS, System::nanoTime);

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Logger log;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Kind> kinds = new ConcurrentHashMap<>();

    ClientFaultLog(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** Logs {@code "<connection> <kind>: <detail>"} unless a line of this kind was written within the last second. */
    void log(Channel ch, String kind, String detail) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        long now = nanoTime.getAsLong();
        long last = k.lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < INTERVAL_NANOS || !k.lastLogged.compareAndSet(last, now)) {
            k.suppressed.incrementAndGet();
            return;
        }
        long suppressed = k.suppressed.getAndSet(0);
        String peer = ConnectionLog.name(ch);
        if (suppressed == 0) {
            ConnectionLog.about(ch, log.atInfo()).log("{} {}: {}", peer, kind, detail);
        } else {
            ConnectionLog.about(ch, log.atInfo()).log("{} {}: {} ({} more of this kind held back)", peer, kind, detail, suppressed);
        }
    }

    private static final class Kind {
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }
}
