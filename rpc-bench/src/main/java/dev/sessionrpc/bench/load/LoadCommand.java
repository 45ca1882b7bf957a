package dev.sessionrpc.bench.load;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sessionrpc.bench.DurationConverter;
import dev.sessionrpc.bench.WsClient;
import dev.sessionrpc.protocol.JsonRpcCodec;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpc-bench load}: opens the connections, runs any setup (sessions for
 * {@code session.get}), warms up, measures, drains, and prints what it saw. Exit code 0 when the
 * run completed (even with errors, which are reported), 1 when it could not run at all.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load a JSON-RPC WebSocket server and report throughput and latency (HdrHistogram).")
public final class LoadCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/rpc", description = "WebSocket URL. Default: ${DEFAULT-VALUE}")
    URI url;

    @Option(names = {"-c", "--connections"}, defaultValue = "64", description = "WebSockets. Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = {"-p", "--pipeline"}, defaultValue = "16",
            description = "Requests in flight per socket (open loop: the most in flight; later ones wait, their latency counting from when they were due). Default: ${DEFAULT-VALUE}")
    int pipeline;

    @Option(names = {"-d", "--duration"}, defaultValue = "20s", converter = DurationConverter.class,
            description = "Measured time (500ms, 20s, 2m). Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "5s", converter = DurationConverter.class,
            description = "Load before measuring. Default: ${DEFAULT-VALUE}")
    Duration warmup;

    @Option(names = {"-m", "--method"}, defaultValue = "session.get",
            description = "session.get, session.create, echo (raw frames shaped like session.get, for an echo server), or any other method name. Default: ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--params", description = "Raw JSON params for another method name.")
    String params;

    @Option(names = {"-r", "--rate"}, defaultValue = "0",
            description = "Open loop: total requests per second on a fixed schedule; 0 = closed loop. Default: ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "A request without a reply after this is counted as a timeout. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = "--sessions-per-connection", defaultValue = "1",
            description = "Sessions each connection creates before a session.get load. Default: ${DEFAULT-VALUE}")
    int sessionsPerConnection;

    @Option(names = "--requests", defaultValue = "0",
            description = "Stop sending after this many requests in all (0 = no limit; the run then ends when all are answered or the duration is over). Default: ${DEFAULT-VALUE}")
    long requests;

    @Option(names = "--threads", defaultValue = "1", description = "Event-loop threads of the generator. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--bind", split = ",", description = "Local addresses to connect from, in turn (e.g. 127.0.0.1,127.0.0.2).")
    List<String> bind = new ArrayList<>();

    @Option(names = "--server-pid", defaultValue = "0",
            description = "Process id of the server (same machine): its CPU time in the window is reported, and requests per server CPU-second.")
    long serverPid;

    @Option(names = "--label", description = "A name for this run in the output.")
    String label;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LoadResult result = run();
        if (json) {
            System.out.println(new JsonRpcCodec().mapper().copy().disable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(result));
        } else {
            System.out.print(result.toText());
        }
        return 0;
    }

    /** Runs the load as configured and returns what it measured. */
    public LoadResult run() throws Exception {
        if (connections < 1 || pipeline < 1) {
            throw new IllegalArgumentException("--connections and --pipeline must be at least 1");
        }
        LoadStats stats = new LoadStats();
        JsonRpcCodec codec = new JsonRpcCodec();
        AtomicLong budget = requests > 0 ? new AtomicLong(requests) : null;
        LoadConnection.Plan plan = new LoadConnection.Plan(pipeline, rate > 0 ? rate / connections : 0,
                timeout.toNanos(), budget, stats, codec);

        try (WsClient client = new WsClient(url, threads, bind)) {
            List<LoadConnection> conns = connectAll(client, plan);

            Map<EventLoop, List<LoadConnection>> byLoop = new IdentityHashMap<>();
            for (LoadConnection c : conns) {
                byLoop.computeIfAbsent(c.context().channel().eventLoop(), l -> new ArrayList<>()).add(c);
            }
            long tickMicros = rate > 0 ? 200 : 100_000;
            long timeoutCheckNanos = TimeUnit.MILLISECONDS.toNanos(100);
            List<ScheduledFuture<?>> tickers = new ArrayList<>();
            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            stats.sending = true;
            for (Map.Entry<EventLoop, List<LoadConnection>> e : byLoop.entrySet()) {
                List<LoadConnection> list = e.getValue();
                long[] lastCheck = {System.nanoTime()};
                e.getKey().execute(() -> list.forEach(c -> c.start(t0)));
                tickers.add(e.getKey().scheduleAtFixedRate(() -> {
                    long now = System.nanoTime();
                    boolean check = now - lastCheck[0] >= timeoutCheckNanos;
                    if (check) {
                        lastCheck[0] = now;
                    }
                    for (LoadConnection c : list) {
                        c.tick(now, check);
                    }
                }, tickMicros, tickMicros, TimeUnit.MICROSECONDS));
            }

            sleepWhileSending(stats, warmup);
            LoadStats.Snapshot atWarmupEnd = stats.snapshot();
            stats.latency.getIntervalHistogram();
            stats.fromSend.getIntervalHistogram();
            double serverCpu0 = ProcessCpu.seconds(serverPid);
            double selfCpu0 = ProcessCpu.self();
            long windowStart = System.nanoTime();
            sleepWhileSending(stats, duration);
            long windowEnd = System.nanoTime();
            double serverCpu = serverCpu0 < 0 ? -1 : ProcessCpu.seconds(serverPid) - serverCpu0;
            double selfCpu = selfCpu0 < 0 ? -1 : ProcessCpu.self() - selfCpu0;
            LoadStats.Snapshot atWindowEnd = stats.snapshot();
            stats.sending = false;

            for (Map.Entry<EventLoop, List<LoadConnection>> e : byLoop.entrySet()) {
                e.getKey().submit(() -> e.getValue().forEach(c -> c.abandonBacklog(System.nanoTime()))).sync();
            }
            long drainDeadline = System.nanoTime() + timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(200);
            while (stats.inFlight.sum() > 0 && System.nanoTime() < drainDeadline) {
                Thread.sleep(5);
            }
            Thread.sleep(150); // let the tickers count what did not come back as timeouts
            tickers.forEach(t -> t.cancel(false));
            Histogram h = stats.latency.getIntervalHistogram();
            Histogram hs = stats.fromSend.getIntervalHistogram();
            LoadStats.Snapshot window = atWindowEnd.minus(atWarmupEnd);
            LoadStats.Snapshot total = stats.snapshot();
            double seconds = (windowEnd - windowStart) / 1e9;
            LoadResult result = new LoadResult(label, url.toString(), method, connections, pipeline, rate,
                    warmup.toMillis() / 1000.0, seconds, window.ok(), window.ok() / seconds,
                    window.errors(), window.timeouts() + (total.timeouts() - atWindowEnd.timeouts()),
                    window.malformed(), window.unexpected(), window.invalid(),
                    total.unsent(), window.errorCodes(),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount(),
                    total.sent(), total.ok(), total.failures(),
                    serverCpu, serverCpu > 0 ? window.ok() / serverCpu : -1, selfCpu,
                    rate > 0 ? new LoadResult.Percentiles(ms(hs.getValueAtPercentile(50)), ms(hs.getValueAtPercentile(99)),
                            ms(hs.getValueAtPercentile(99.9)), ms(hs.getMaxValue())) : null);
            conns.forEach(c -> c.context().channel().close());
            return result;
        }
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** Sleeps for the given time, or less when a request budget ran out and everything is answered. */
    private static void sleepWhileSending(LoadStats stats, Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (!stats.sending && stats.inFlight.sum() == 0) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private List<LoadConnection> connectAll(WsClient client, LoadConnection.Plan plan) throws Exception {
        List<LoadConnection> conns = new ArrayList<>();
        List<CompletableFuture<LoadConnection>> readies = new ArrayList<>();
        Semaphore opening = new Semaphore(256);
        for (int i = 0; i < connections; i++) {
            LoadConnection c = new LoadConnection(url, plan, Workloads.forMethod(method, params, sessionsPerConnection),
                    (double) i / connections);
            opening.acquire();
            ChannelFuture f = client.connectRaw(c);
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    c.ready().completeExceptionally(done.cause());
                }
            });
            c.ready().whenComplete((r, e) -> opening.release());
            conns.add(c);
            readies.add(c.ready());
        }
        try {
            CompletableFuture.allOf(readies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not open and prepare " + connections + " connections to " + url
                    + ": " + e.getCause().getMessage(), e.getCause());
        }
        return conns;
    }
}
