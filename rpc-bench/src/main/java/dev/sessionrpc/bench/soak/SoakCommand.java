package dev.sessionrpc.bench.soak;

import dev.sessionrpc.bench.DurationConverter;
import dev.sessionrpc.bench.WsClient;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpc-bench soak}: holds many WebSockets against one server for a long time with mixed
 * traffic (session.get with right answers, some session.create, bad input that must get its
 * documented error, reconnects) plus a few clients that never read, prints a line per interval
 * and a summary, and exits 1 when any well-behaved client saw an error (wrong reply, timeout,
 * unexpected close, failed connect or upgrade).
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Hold N WebSockets with mixed traffic for a long time; count every error of the well-behaved ones.")
public final class SoakCommand implements Callable<Integer> {

    /** The server's default create throttle is 30 per 60 s per client address; stay below it. */
    static final int CREATES_PER_ADDRESS_PER_MINUTE = 25;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/rpc", description = "WebSocket URL. Default: ${DEFAULT-VALUE}")
    URI url;

    @Option(names = {"-c", "--connections"}, defaultValue = "10000",
            description = "All sockets, the non-reading ones included (the server's default --max-connections is 10000). Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = "--source-addresses", defaultValue = "64",
            description = "Connect from 127.0.0.2, 127.0.0.3, ... (this many), round-robin. Default: ${DEFAULT-VALUE}")
    int sourceAddresses;

    @Option(names = {"-d", "--duration"}, defaultValue = "10m", converter = DurationConverter.class,
            description = "How long the traffic runs (after all sockets are open). Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = {"-r", "--rate"}, defaultValue = "2000",
            description = "Requests per second over all well-behaved sockets (open loop, round-robin). Default: ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--ramp", defaultValue = "60s", converter = DurationConverter.class,
            description = "The request rate climbs linearly from 0 to --rate over this time (part of --duration), so a cold server JIT-compiles before full load. Default: ${DEFAULT-VALUE}")
    Duration ramp;

    @Option(names = "--bad-input-percent", defaultValue = "2",
            description = "Share of those requests that are bad input (not JSON, missing or malformed params, wrong answer, unknown session or method). Default: ${DEFAULT-VALUE}")
    double badInputPercent;

    @Option(names = "--create-rate", defaultValue = "2",
            description = "session.create per second on top, spread over the source addresses and kept under "
                    + CREATES_PER_ADDRESS_PER_MINUTE + " per address per minute. Default: ${DEFAULT-VALUE}")
    double createRate;

    @Option(names = "--seed-sessions", defaultValue = "2",
            description = "Sessions each source address creates before the traffic starts. Default: ${DEFAULT-VALUE}")
    int seedSessions;

    @Option(names = "--reconnect-rate", defaultValue = "5",
            description = "Well-behaved sockets per second that close cleanly and reopen. Default: ${DEFAULT-VALUE}")
    double reconnectRate;

    @Option(names = "--bad-clients", defaultValue = "8",
            description = "Sockets (part of --connections) that send and never read their replies. Default: ${DEFAULT-VALUE}")
    int badClients;

    @Option(names = "--bad-client-rate", defaultValue = "100",
            description = "Requests per second each non-reading client sends while its socket takes them (plus a ping a second). Default: ${DEFAULT-VALUE}")
    double badClientRate;

    @Option(names = "--bad-receive-buffer", defaultValue = "4096",
            description = "SO_RCVBUF of the non-reading clients, bytes. Default: ${DEFAULT-VALUE}")
    int badReceiveBuffer;

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "A request without a reply after this is an error. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = "--report-interval", defaultValue = "30s", converter = DurationConverter.class,
            description = "Print a line this often. Default: ${DEFAULT-VALUE}")
    Duration reportInterval;

    @Option(names = "--threads", defaultValue = "1", description = "Event-loop threads of the generator. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--max-pending", defaultValue = "32",
            description = "Most requests one well-behaved socket has out; past it the next socket takes the request. Default: ${DEFAULT-VALUE}")
    int maxPending;

    private final Histogram allTotal = new Histogram(SoakStats.MAX_TRACKED_NANOS, 3);
    private final Histogram getTotal = new Histogram(SoakStats.MAX_TRACKED_NANOS, 3);

    @Override
    public Integer call() throws Exception {
        validate();
        int wellCount = connections - badClients;
        SourceAddresses addresses = new SourceAddresses(sourceAddresses);
        CreateLimiter limiter = new CreateLimiter(sourceAddresses, CREATES_PER_ADDRESS_PER_MINUTE,
                TimeUnit.SECONDS.toNanos(60), System::nanoTime);
        System.out.printf(Locale.ROOT, "soak: %d sockets (%d well-behaved, %d non-reading) to %s from %d source addresses"
                        + " (%s .. %s, at most %d per address); %s; %.0f req/s after a %s ramp (%.1f%% bad input), %.1f creates/s,"
                        + " %.1f reconnects/s; timeout %s%n",
                connections, wellCount, badClients, url, sourceAddresses, addresses.all().get(0),
                addresses.all().get(sourceAddresses - 1), addresses.mostPerAddress(connections), duration, rate, ramp,
                badInputPercent, createRate, reconnectRate, timeout);

        try (WsClient client = new WsClient(url, threads, null)) {
            SoakRun run = new SoakRun(url, client, addresses, limiter, timeout.toNanos(), maxPending, badReceiveBuffer);
            List<LoopDriver> drivers = drivers(run, client, wellCount);
            drivers.forEach(LoopDriver::startChecks);

            long openStart = System.nanoTime();
            openAll(drivers);
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            seed(run, drivers, wellCount);
            System.out.printf(Locale.ROOT, "READY %d/%d well-behaved and %d/%d non-reading sockets open in %.1f s;"
                            + " %d sessions in the pool; connect or upgrade failures so far: %d%n",
                    run.openNow.get(), wellCount, run.badOpenNow.get(), badClients, openSeconds, run.pool.size(),
                    run.stats.connectFailures.sum());
            System.out.flush();

            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            int badEvery = badInputPercent <= 0 ? 0 : (int) Math.max(1, Math.round(100 / badInputPercent));
            run.stats.all.getIntervalHistogram();
            run.stats.gets.getIntervalHistogram();
            run.sending = true;
            for (LoopDriver d : drivers) {
                double share = (double) d.wellCount() / wellCount;
                d.start(t0, ramp.toNanos(), rate * share, createRate * share, reconnectRate * share, badClientRate, badEvery);
            }

            long end = t0 + duration.toNanos();
            long next = t0 + reportInterval.toNanos();
            while (System.nanoTime() < end) {
                long wake = Math.min(next, end);
                long sleep = (wake - System.nanoTime()) / 1_000_000;
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                if (System.nanoTime() >= next) {
                    line(run, t0, wellCount);
                    next += reportInterval.toNanos();
                }
            }
            run.sending = false;
            long drainEnd = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
            while (run.inFlight.sum() > 0 && System.nanoTime() < drainEnd) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // the checks count what never came back as timeouts
            line(run, t0, wellCount);
            run.stopping = true;
            drivers.forEach(LoopDriver::closeAll);
            Thread.sleep(500);
            return summary(run, wellCount, (System.nanoTime() - t0) / 1e9);
        }
    }

    private void validate() {
        if (connections < 1 || badClients < 0 || badClients >= connections) {
            throw new IllegalArgumentException("--connections must be at least 1 and more than --bad-clients");
        }
        if (rate <= 0 || threads < 1 || maxPending < 1) {
            throw new IllegalArgumentException("--rate, --threads and --max-pending must be positive");
        }
        if (createRate * 60 > (double) CREATES_PER_ADDRESS_PER_MINUTE * sourceAddresses) {
            throw new IllegalArgumentException("--create-rate " + createRate + " is more than " + sourceAddresses
                    + " addresses may create under the server's throttle (" + CREATES_PER_ADDRESS_PER_MINUTE
                    + " per address per minute here)");
        }
        if (seedSessions < 1 || seedSessions > CREATES_PER_ADDRESS_PER_MINUTE / 2) {
            throw new IllegalArgumentException("--seed-sessions must be 1 to " + CREATES_PER_ADDRESS_PER_MINUTE / 2);
        }
    }

    /** Socket {@code i} runs on loop {@code i % threads}; the last {@code badClients} sockets are the non-reading ones. */
    private List<LoopDriver> drivers(SoakRun run, WsClient client, int wellCount) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : client.group()) {
            loops.add((EventLoop) e);
        }
        List<LoopDriver> drivers = new ArrayList<>();
        for (int t = 0; t < loops.size(); t++) {
            List<Integer> well = new ArrayList<>();
            List<Integer> bad = new ArrayList<>();
            for (int i = t; i < connections; i += loops.size()) {
                (i < wellCount ? well : bad).add(i);
            }
            drivers.add(new LoopDriver(run, loops.get(t), well.stream().mapToInt(Integer::intValue).toArray(),
                    bad.stream().mapToInt(Integer::intValue).toArray()));
        }
        return drivers;
    }

    /** Opens every socket, at most 256 upgrades at a time; returns when each is open or has failed once. */
    private static void openAll(List<LoopDriver> drivers) throws InterruptedException {
        int total = drivers.stream().mapToInt(d -> d.wellCount() + d.badCount()).sum();
        CountDownLatch settled = new CountDownLatch(total);
        Semaphore opening = new Semaphore(256);
        int most = drivers.stream().mapToInt(d -> Math.max(d.wellCount(), d.badCount())).max().orElse(0);
        for (int i = 0; i < most; i++) {
            for (LoopDriver d : drivers) {
                if (i < d.wellCount()) {
                    opening.acquire();
                    d.connectWell(i, () -> {
                        opening.release();
                        settled.countDown();
                    });
                }
            }
        }
        for (LoopDriver d : drivers) {
            for (int i = 0; i < d.badCount(); i++) {
                opening.acquire();
                d.connectBad(i, () -> {
                    opening.release();
                    settled.countDown();
                });
            }
        }
        if (!settled.await(180, TimeUnit.SECONDS)) {
            System.out.printf("not all sockets settled in 180 s: %d still opening%n", settled.getCount());
        }
    }

    /** Each source address creates {@code seedSessions} sessions, so that session.get has something to ask for. */
    private void seed(SoakRun run, List<LoopDriver> drivers, int wellCount) throws InterruptedException {
        int wanted = 0;
        for (int k = 0; k < seedSessions; k++) {
            for (int a = 0; a < sourceAddresses; a++) {
                int slot = a + k * sourceAddresses;
                if (slot >= wellCount) {
                    continue;
                }
                LoopDriver d = drivers.get(slot % drivers.size());
                d.seedCreate(slot / drivers.size());
                wanted++;
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (run.pool.size() < wanted && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        if (run.pool.size() == 0) {
            throw new IllegalStateException("no session could be created (see the errors above)");
        }
    }

    private void line(SoakRun run, long t0, int wellCount) {
        Histogram h = run.stats.all.getIntervalHistogram();
        Histogram g = run.stats.gets.getIntervalHistogram();
        allTotal.add(h);
        getTotal.add(g);
        SoakStats s = run.stats;
        System.out.printf(Locale.ROOT, "[%5.0fs] open %d/%d non-reading %d/%d | sent %d ok %d expected-errors %d"
                        + " | ERRORS %d (wrong %d unmatched %d timeout %d closed %d lost %d connect %d close %d)"
                        + " | late %d | reconnects %d creates %d deferred %d pool %d not-sent %d | interval ms p50 %.2f p99 %.2f"
                        + " p99.9 %.2f max %.2f (n=%d) | non-reading sent %d blocked-ticks %d closed %d%n",
                (System.nanoTime() - t0) / 1e9, run.openNow.get(), wellCount, run.badOpenNow.get(), badClients,
                s.sentTotal(), s.ok.sum(), s.expectedErrors.sum(), s.errors(), s.wrong.sum(), s.unmatched.sum(),
                s.timeouts.sum(), s.unexpectedCloses.sum(), s.lostInClose.sum(), s.connectFailures.sum(),
                s.closeNotAnswered.sum(), s.late.sum(), s.reconnects.sum(), s.sent.get(Kind.CREATE).sum(), s.createsDeferred.sum(),
                run.pool.size(), s.notSent.sum(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount(), s.badSent.sum(),
                s.badBlockedTicks.sum(), s.badClosed.sum());
        System.out.flush();
    }

    private int summary(SoakRun run, int wellCount, double seconds) {
        SoakStats s = run.stats;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nSOAK SUMMARY (%.0f s of traffic, %d sockets: %d well-behaved, %d non-reading,"
                + " from %d source addresses)%n", seconds, connections, wellCount, badClients, sourceAddresses));
        sb.append("requests sent / answered by kind:");
        for (Kind k : Kind.values()) {
            sb.append(String.format(Locale.ROOT, " %s %d/%d (max %.1f ms)", k.name().toLowerCase(Locale.ROOT),
                    s.sent.get(k).sum(), s.answered.get(k).sum(), ms(s.slowest.get(k).get())));
        }
        sb.append(String.format(Locale.ROOT, "%nanswered as expected: %d results, %d documented errors to bad input%n",
                s.ok.sum(), s.expectedErrors.sum()));
        sb.append(percentiles("latency, all requests      ", allTotal));
        sb.append(percentiles("latency, session.get       ", getTotal));
        sb.append(String.format(Locale.ROOT, "errors of well-behaved clients: %d (wrong reply %d, reply to nothing %d,"
                        + " timeout %d, unexpected close %d, requests lost in those closes %d, connect/upgrade failed %d,"
                        + " close handshake not finished %d)%n",
                s.errors(), s.wrong.sum(), s.unmatched.sum(), s.timeouts.sum(), s.unexpectedCloses.sum(),
                s.lostInClose.sum(), s.connectFailures.sum(), s.closeNotAnswered.sum()));
        sb.append(String.format(Locale.ROOT, "late replies (after their timeout, not counted again): %d%n", s.late.sum()));
        sb.append(String.format(Locale.ROOT, "generator: %d sockets opened, %d clean reconnects (%d skipped: no idle"
                        + " socket), %d creates deferred by the per-address limit, %d requests not sent (no open socket"
                        + " with room), pool %d sessions%n",
                s.opened.sum(), s.reconnects.sum(), s.reconnectsSkipped.sum(), s.createsDeferred.sum(), s.notSent.sum(),
                run.pool.size()));
        sb.append(String.format(Locale.ROOT, "non-reading clients: %d opened, %d failed to open, %d requests and %d pings"
                        + " sent, %d ticks blocked (socket full), %d closed by the server%n",
                s.badOpened.sum(), s.badConnectFailures.sum(), s.badSent.sum(), s.badPings.sum(),
                s.badBlockedTicks.sum(), s.badClosed.sum()));
        long errors = s.errors();
        sb.append(String.format(Locale.ROOT, "RESULT %s errors=%d requests=%d p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f"
                        + " max_ms=%.3f get_p99_ms=%.3f%n",
                errors == 0 ? "PASS" : "FAIL", errors, s.sentTotal(), ms(allTotal.getValueAtPercentile(50)),
                ms(allTotal.getValueAtPercentile(99)), ms(allTotal.getValueAtPercentile(99.9)), ms(allTotal.getMaxValue()),
                ms(getTotal.getValueAtPercentile(99))));
        System.out.print(sb);
        System.out.flush();
        return errors == 0 ? 0 : 1;
    }

    private static String percentiles(String label, Histogram h) {
        return String.format(Locale.ROOT, "%s p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms  (n=%d)%n", label,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

}
