package dev.sessionrpc.server.metrics;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@code rpc_requests} timers of one method tag, resolved when the method is registered, so
 * that a request that succeeds records with no lookup at all and one that fails with one lookup
 * by its error's name. Each request is recorded here once, with its outcome.
 */
public final class MethodTimers {

    private static final String OK = "ok";

    private final Timer ok;
    private final ConcurrentMap<String, Timer> failed = new ConcurrentHashMap<>();
    private final Function<String, Timer> timer;

    MethodTimers(Function<String, Timer> timer, boolean succeeds) {
        this.timer = timer;
        this.ok = succeeds ? timer.apply(OK) : null;
    }

    /**
     * Records one finished request.
     *
     * @param errorName the error's wire name, or null on success
     */
    public void record(String errorName, long nanos) {
        Timer t = errorName == null && ok != null ? ok : failed.computeIfAbsent(errorName == null ? OK : errorName, timer);
        t.record(nanos, TimeUnit.NANOSECONDS);
    }
}
