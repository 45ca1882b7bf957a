package dev.sessionrpc.bench.soak;

import dev.sessionrpc.bench.WsClient;
import dev.sessionrpc.protocol.JsonRpcCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every connection of one soak shares: settings, counters, the session pool, the client. */
final class SoakRun {

    private static final Logger log = LoggerFactory.getLogger("dev.sessionrpc.bench.soak");
    private static final int LOGGED_IN_FULL = 20;

    final URI url;
    final WsClient client;
    final SourceAddresses addresses;
    final SessionPool pool = new SessionPool();
    final CreateLimiter limiter;
    final SoakStats stats = new SoakStats();
    final JsonRpcCodec codec = new JsonRpcCodec();
    final long timeoutNanos;
    final int maxPending;
    final int badReceiveBuffer;
    /** Requests of well-behaved connections sent and not yet answered, expired or lost. */
    final LongAdder inFlight = new LongAdder();
    /** Well-behaved connections open right now. */
    final AtomicInteger openNow = new AtomicInteger();
    final AtomicInteger badOpenNow = new AtomicInteger();
    private final AtomicLong logged = new AtomicLong();

    /** True while the schedule runs. */
    volatile boolean sending;
    /** True once the run is over: closes are expected, nothing reopens. */
    volatile boolean stopping;

    SoakRun(URI url, WsClient client, SourceAddresses addresses, CreateLimiter limiter, long timeoutNanos,
            int maxPending, int badReceiveBuffer) {
        this.url = url;
        this.client = client;
        this.addresses = addresses;
        this.limiter = limiter;
        this.timeoutNanos = timeoutNanos;
        this.maxPending = maxPending;
        this.badReceiveBuffer = badReceiveBuffer;
    }

    /** Logs an error of a well-behaved connection: the first few in full, then every 1000th. */
    void problem(String what, Object where, byte[] buf, int offset, int length) {
        long n = logged.incrementAndGet();
        if (n <= LOGGED_IN_FULL || n % 1000 == 0) {
            String text = buf == null ? "" : ": " + new String(buf, offset, Math.min(length, 600), StandardCharsets.UTF_8);
            log.warn("#{} {} on {}{}", n, what, where, text);
        }
    }
}
