package dev.sessionrpc.bench.soak;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives the sockets that live on one event loop: keeps each slot connected, and on a ticker
 * (every millisecond) sends what the open-loop schedules say is due, spread round-robin over the open
 * connections: requests (mostly session.get, every n-th one a bad input), session.create
 * (only from an address the {@link CreateLimiter} still allows), reconnects (a clean close,
 * then the slot reopens from the same address), and the non-reading clients' pushes. Latency
 * counts from the time a request was due, so a stalled generator or server cannot hide its
 * queue. Everything here runs on {@link #loop}.
 */
final class LoopDriver {

    private static final long TICK_MICROS = 1000;

    private final SoakRun run;
    final EventLoop loop;
    private final int[] wellSlots;
    private final int[] badSlots;
    private final SoakConnection[] well;
    private final NonReadingClient[] bad;

    private double requestsPerNano;
    private double createsPerNano;
    private double reconnectsPerNano;
    private double badPerNano;
    private int badEvery;
    private long t0;
    private long rampNanos;
    private long requestsDone;
    private long createsDone;
    private long reconnectsDone;
    private long badDone;
    private long lastPing;
    private int requestCursor;
    private int createCursor;
    private int reconnectCursor;
    private long mix;
    private ScheduledFuture<?> ticker;

    LoopDriver(SoakRun run, EventLoop loop, int[] wellSlots, int[] badSlots) {
        this.run = run;
        this.loop = loop;
        this.wellSlots = wellSlots;
        this.badSlots = badSlots;
        this.well = new SoakConnection[wellSlots.length];
        this.bad = new NonReadingClient[badSlots.length];
    }

    int wellCount() {
        return wellSlots.length;
    }

    int badCount() {
        return badSlots.length;
    }

    /** The source address of well-behaved slot {@code local}. */
    String address(int local) {
        return run.addresses.forSlot(wellSlots[local]);
    }

    int addressIndex(int local) {
        return run.addresses.indexFor(wellSlots[local]);
    }

    /** Opens well-behaved slot {@code local}; {@code settled} runs once it is open or has failed. Any thread. */
    void connectWell(int local, Runnable settled) {
        loop.execute(() -> {
            SoakConnection c = new SoakConnection(run, this, local, settled);
            well[local] = c;
            ChannelFuture f = run.client.connectRaw(c, loop, address(local), 0);
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    c.connectFailed(done.cause());
                }
            });
        });
    }

    void connectBad(int local, Runnable settled) {
        loop.execute(() -> {
            NonReadingClient c = new NonReadingClient(run, this, local, settled);
            bad[local] = c;
            ChannelFuture f = run.client.connectRaw(c, loop, run.addresses.forSlot(badSlots[local]), run.badReceiveBuffer);
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    c.connectFailed();
                }
            });
        });
    }

    void reopen(int local, long delayMillis) {
        if (!run.stopping) {
            loop.schedule(() -> {
                if (!run.stopping) {
                    connectWell(local, null);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    void reopenBad(int local, long delayMillis) {
        if (!run.stopping) {
            loop.schedule(() -> {
                if (!run.stopping) {
                    connectBad(local, null);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends a session.create from well-behaved slot {@code local} now (the seed of the pool), within the limiter. */
    void seedCreate(int local) {
        loop.execute(() -> {
            SoakConnection c = well[local];
            if (c != null && c.state() == SoakConnection.State.OPEN && run.limiter.tryAcquire(addressIndex(local))) {
                c.send(Kind.CREATE, System.nanoTime());
            }
        });
    }

    /**
     * Starts the schedules at {@code t0} with this loop's share of each rate (per second), the
     * request rate climbing from 0 over {@code rampNanos}; every {@code badEvery}-th request is a
     * bad input (0: none).
     */
    void start(long t0, long rampNanos, double requests, double creates, double reconnects, double badPerClient,
               int badEvery) {
        loop.execute(() -> {
            this.t0 = t0;
            this.rampNanos = rampNanos;
            this.requestsPerNano = requests / 1e9;
            this.createsPerNano = creates / 1e9;
            this.reconnectsPerNano = reconnects / 1e9;
            this.badPerNano = badPerClient / 1e9;
            this.badEvery = badEvery;
            this.lastPing = t0;
            ticker = loop.scheduleAtFixedRate(this::tick, TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
        });
    }

    /** Also before {@link #start}: the expiry checks run from the first connection on. */
    void startChecks() {
        loop.scheduleAtFixedRate(() -> check(System.nanoTime()), 200, 200, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        if (!run.sending) {
            return;
        }
        long elapsed = now - t0;
        long due = requestsDueBy(elapsed, requestsPerNano, rampNanos);
        while (requestsDone < due) {
            long intended = t0 + requestTime(requestsDone, requestsPerNano, rampNanos);
            requestsDone++;
            Kind kind = nextKind();
            if (!sendSomewhere(kind, intended)) {
                run.stats.notSent.increment();
            }
        }
        due = (long) (elapsed * createsPerNano);
        while (createsDone < due) {
            long intended = t0 + (long) (createsDone / createsPerNano);
            createsDone++;
            if (!createSomewhere(intended)) {
                run.stats.createsDeferred.increment();
            }
        }
        due = (long) (elapsed * reconnectsPerNano);
        while (reconnectsDone < due) {
            reconnectsDone++;
            reconnectSomewhere(now);
        }
        if (bad.length > 0) {
            due = (long) (elapsed * badPerNano);
            int n = (int) Math.min(due - badDone, 10_000);
            badDone = due;
            boolean ping = now - lastPing >= 1_000_000_000L;
            if (ping) {
                lastPing = now;
            }
            for (NonReadingClient c : bad) {
                if (c != null && (n > 0 || ping)) {
                    c.push(n, ping);
                }
            }
        }
    }

    /**
     * Requests due after {@code elapsed} ns when the rate climbs linearly from 0 to
     * {@code perNano} over {@code ramp} ns and then stays: the area under that rate.
     */
    static long requestsDueBy(long elapsed, double perNano, long ramp) {
        if (elapsed <= 0) {
            return 0;
        }
        if (elapsed < ramp) {
            return (long) (perNano * elapsed * (double) elapsed / (2.0 * ramp));
        }
        return (long) (perNano * (elapsed - ramp / 2.0));
    }

    /** When request {@code k} (from 0) is due, ns after the start: the inverse of {@link #requestsDueBy}. */
    static long requestTime(long k, double perNano, long ramp) {
        double inRamp = perNano * ramp / 2.0;
        if (k < inRamp) {
            return (long) Math.sqrt(2.0 * ramp * k / perNano);
        }
        return (long) (k / perNano + ramp / 2.0);
    }

    private Kind nextKind() {
        long k = mix++;
        if (badEvery > 0 && k % badEvery == badEvery - 1) {
            return Kind.BAD_INPUTS[(int) ((k / badEvery) % Kind.BAD_INPUTS.length)];
        }
        return Kind.GET;
    }

    private boolean sendSomewhere(Kind kind, long intended) {
        for (int attempt = 0; attempt < well.length; attempt++) {
            SoakConnection c = well[requestCursor];
            requestCursor = requestCursor + 1 == well.length ? 0 : requestCursor + 1;
            if (c != null && c.send(kind, intended)) {
                return true;
            }
        }
        return false;
    }

    private boolean createSomewhere(long intended) {
        for (int attempt = 0; attempt < well.length; attempt++) {
            int local = createCursor;
            createCursor = createCursor + 1 == well.length ? 0 : createCursor + 1;
            SoakConnection c = well[local];
            if (c != null && c.state() == SoakConnection.State.OPEN && c.pendingCount() < run.maxPending) {
                if (!run.limiter.tryAcquire(addressIndex(local))) {
                    return false;
                }
                return c.send(Kind.CREATE, intended);
            }
        }
        return false;
    }

    private void reconnectSomewhere(long now) {
        for (int attempt = 0; attempt < well.length; attempt++) {
            SoakConnection c = well[reconnectCursor];
            reconnectCursor = reconnectCursor + 1 == well.length ? 0 : reconnectCursor + 1;
            if (c != null && c.beginClose(now)) {
                return;
            }
        }
        run.stats.reconnectsSkipped.increment();
    }

    private void check(long now) {
        for (SoakConnection c : well) {
            if (c != null) {
                c.check(now);
            }
        }
    }

    /** Stops the ticker and closes every socket of this loop (the run is over). */
    void closeAll() {
        loop.execute(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
            for (SoakConnection c : well) {
                if (c != null) {
                    c.closeNow();
                }
            }
            for (NonReadingClient c : bad) {
                if (c != null) {
                    c.closeNow();
                }
            }
        });
    }
}
