package dev.sessionrpc.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters under stable names, so that operators' dashboards survive refactoring.
 * Method names are client-controlled text, so only registered methods become tag values; any
 * other name is counted as {@code unknown}, which keeps the number of series bounded.
 */
public final class ServerMetrics {

    private static final String UNKNOWN = "unknown";
    /**
     * The upper bounds of the latency histogram's buckets, 100 µs to 10 s, 16 of them (README):
     * fine enough for a p99 between a fraction of a millisecond and a stalled store, and few
     * enough that each method and outcome costs 20 lines of a scrape, not 90.
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final AtomicInteger openConnections = new AtomicInteger();
    /** Timers by registered method name, handed out once per registration. */
    private final ConcurrentMap<String, MethodTimers> methodTimers = new ConcurrentHashMap<>();
    private final MethodTimers unknown;
    private final Counter connectionsRefused;
    private final Counter connectionsRefusedPerAddress;
    private final List<JvmGcMetrics> closeOnStop = new CopyOnWriteArrayList<>();

    private ServerMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        Gauge.builder("rpc_connections_open", openConnections, AtomicInteger::get)
                .description("WebSocket connections open now")
                .register(registry);
        this.connectionsRefused = refusedCounter("total");
        this.connectionsRefusedPerAddress = refusedCounter("per_address");
        this.unknown = new MethodTimers(outcome -> requestTimer(UNKNOWN, outcome), false);
    }

    /**
     * Metrics published in the Prometheus text format at {@code GET /metrics}: the server's own,
     * and the JVM's (memory, GC, threads, classes), the process's (CPU, open files, uptime) and
     * Netty's buffer allocator's (direct and heap memory in use), so that one scrape shows why a
     * server is slow or full.
     */
    public static ServerMetrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServerMetrics metrics = new ServerMetrics(registry, registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        metrics.closeOnStop.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        return metrics;
    }

    /** Lets go of what watches the JVM (the GC listeners); the server calls it when it stops. */
    public void close() {
        closeOnStop.forEach(JvmGcMetrics::close);
        closeOnStop.clear();
    }

    /** Metrics that are counted nowhere, for when the operator switches them off. */
    public static ServerMetrics disabled() {
        return new ServerMetrics(new CompositeMeterRegistry(), null);
    }

    public boolean enabled() {
        return prometheus != null;
    }

    /** The exposition text, or null when metrics are off. */
    public String scrape() {
        return prometheus == null ? null : prometheus.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The timers of a method being registered: only registered names become tag values. */
    public MethodTimers method(String name) {
        return methodTimers.computeIfAbsent(name, n -> new MethodTimers(outcome -> requestTimer(n, outcome), true));
    }

    /**
     * The timers of everything that reached no method: unknown names, reserved names, and
     * messages or elements that never became a request.
     */
    public MethodTimers unknownMethod() {
        return unknown;
    }

    private Timer requestTimer(String methodTag, String outcome) {
        return Timer.builder("rpc_requests")
                .description("JSON-RPC requests by method and outcome (ok or the error's name), with latency")
                .tag("method", methodTag)
                .tag("outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    public void connectionOpened() {
        openConnections.incrementAndGet();
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    private Counter refusedCounter(String limit) {
        return Counter.builder("rpc_connections_refused")
                .description("Connections refused at once because a connection limit was reached (limit: total or per_address)")
                .tag("limit", limit)
                .register(registry);
    }

    /** A connection refused past --max-connections. */
    public void connectionRefused() {
        connectionsRefused.increment();
    }

    /** A connection refused past --max-connections-per-address. */
    public void connectionRefusedForItsAddress() {
        connectionsRefusedPerAddress.increment();
    }

    /** A counter under this registry, for parts of the server with their own events. */
    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** A gauge reading a value from {@code target} when scraped. */
    public <T> void gauge(String name, String description, T target, ToDoubleFunction<T> value) {
        Gauge.builder(name, target, value).description(description).register(registry);
    }
}
