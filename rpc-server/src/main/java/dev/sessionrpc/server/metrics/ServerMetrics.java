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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters under stable names, so that operators' dashboards survive refactoring.
 * Method names are client-controlled text, so only registered methods become tag values; any
 * other name is counted as {@code unknown}, which keeps the number of series bounded.
 */
public final class ServerMetrics {

    private static final String UNKNOWN = "unknown";
    private static final String OK = "ok";

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final AtomicInteger openConnections = new AtomicInteger();
    /** Timers by method tag, then outcome: two lookups and no string built per request. */
    private final ConcurrentMap<String, ConcurrentMap<String, Timer>> requestTimers = new ConcurrentHashMap<>();
    private final Counter connectionsRefused;
    private final Counter connectionsRefusedPerAddress;
    private volatile Set<String> knownMethods = Set.of();
    private final List<JvmGcMetrics> closeOnStop = new CopyOnWriteArrayList<>();

    private ServerMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        Gauge.builder("rpc_connections_open", openConnections, AtomicInteger::get)
                .description("WebSocket connections open now")
                .register(registry);
        this.connectionsRefused = refusedCounter("total");
        this.connectionsRefusedPerAddress = refusedCounter("per_address");
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

    public void knownMethods(Set<String> names) {
        knownMethods = Set.copyOf(names);
    }

    /**
     * Records one finished request.
     *
     * @param method the method name, or null when no method was found
     * @param errorName the error's wire name, or null on success
     */
    public void requestCompleted(String method, String errorName, long nanos) {
        String methodTag = method != null && knownMethods.contains(method) ? method : UNKNOWN;
        String outcome = errorName == null ? OK : errorName;
        Timer timer = requestTimers.computeIfAbsent(methodTag, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, k -> Timer.builder("rpc_requests")
                .description("JSON-RPC requests by method and outcome (ok or the error's name), with latency")
                .tag("method", methodTag)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
        timer.record(nanos, TimeUnit.NANOSECONDS);
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
