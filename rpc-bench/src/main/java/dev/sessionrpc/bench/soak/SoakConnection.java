package dev.sessionrpc.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.bench.RawWebSocketHandler;
import dev.sessionrpc.bench.load.ReplyScanner;
import dev.sessionrpc.bench.load.Workloads;
import dev.sessionrpc.bench.soak.PendingRequests.Pending;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * One well-behaved soak WebSocket: sends what its {@link LoopDriver} hands it, reads every reply,
 * matches it to its request and judges it ({@link Kind#classify}). Everything that is not the
 * expected answer in time is counted as an error: a wrong reply, a reply to nothing, a timeout,
 * a close it did not ask for (and the requests lost with it), a failed connect or upgrade, a
 * close handshake the server did not finish. All state is touched on its event loop only.
 */
final class SoakConnection extends RawWebSocketHandler {

    enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private static final long CONNECT_DEADLINE_NANOS = 15_000_000_000L;
    private static final long CLOSE_DEADLINE_NANOS = 5_000_000_000L;

    private final SoakRun run;
    private final LoopDriver driver;
    private final int local;
    private final PendingRequests pending = new PendingRequests();
    private final long createdAt = System.nanoTime();
    private Runnable settled;
    private State state = State.CONNECTING;
    private boolean failureCounted;
    private long closeDeadline;
    private long seq;

    SoakConnection(SoakRun run, LoopDriver driver, int local, Runnable settled) {
        super(run.url);
        this.run = run;
        this.driver = driver;
        this.local = local;
        this.settled = settled;
    }

    State state() {
        return state;
    }

    int pendingCount() {
        return pending.size();
    }

    private void settle() {
        Runnable s = settled;
        settled = null;
        if (s != null) {
            s.run();
        }
    }

    @Override
    protected void onOpen() {
        state = State.OPEN;
        run.stats.opened.increment();
        run.openNow.incrementAndGet();
        settle();
    }

    /** The TCP connect itself failed (no channel became active). */
    void connectFailed(Throwable cause) {
        if (!failureCounted && !run.stopping) {
            failureCounted = true;
            run.stats.connectFailures.increment();
            run.problem("connect failed: " + cause, driver.address(local), null, 0, 0);
        }
        state = State.CLOSED;
        settle();
        driver.reopen(local, 1000);
    }

    @Override
    protected void onFailure(Throwable cause) {
        if (state == State.CONNECTING) {
            if (!failureCounted && !run.stopping) {
                failureCounted = true;
                run.stats.connectFailures.increment();
                run.problem("upgrade failed: " + cause.getMessage(), driver.address(local), null, 0, 0);
            }
        } else if (!run.stopping) {
            run.stats.wrong.increment();
            run.problem("broken WebSocket stream: " + cause.getMessage(), driver.address(local), null, 0, 0);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        super.channelInactive(ctx);
        int lost = pending.clear();
        run.inFlight.add(-lost);
        State was = state;
        state = State.CLOSED;
        if (was == State.OPEN || was == State.CLOSING) {
            run.openNow.decrementAndGet();
        }
        if (!run.stopping) {
            if (was == State.CONNECTING) {
                if (!failureCounted) {
                    failureCounted = true;
                    run.stats.connectFailures.increment();
                    run.problem("closed before the upgrade", driver.address(local), null, 0, 0);
                }
            } else if (was == State.OPEN) {
                run.stats.unexpectedCloses.increment();
                run.stats.lostInClose.add(lost);
                run.problem("closed by the server with " + lost + " request(s) out", driver.address(local), null, 0, 0);
            } else if (lost > 0) {
                run.stats.lostInClose.add(lost);
            }
        }
        settle();
        if (!run.stopping) {
            if (was == State.CLOSING) {
                run.stats.reconnects.increment();
            }
            // after our own close the server has closed its side first (it answers the close
            // frame and closes), so its place is free; a short pause covers the rest
            driver.reopen(local, was == State.CLOSING ? 100 : 1000);
        }
    }

    /** Sends one request of this kind, due at {@code intended}; false when it cannot be sent now. */
    boolean send(Kind kind, long intended) {
        if (state != State.OPEN || pending.size() >= run.maxPending) {
            return false;
        }
        SessionPool.Entry session = null;
        if (SoakRequests.needsSession(kind)) {
            session = run.pool.any();
            if (session == null) {
                return false;
            }
        }
        String[] hashes = kind == Kind.CREATE ? new String[] {Workloads.randomHex(), Workloads.randomHex()} : null;
        long id = ++seq;
        byte[] frame = SoakRequests.render(kind, id, session, hashes, System.currentTimeMillis() / 1000)
                .getBytes(StandardCharsets.UTF_8);
        pending.add(new Pending(kind.answeredWithoutId() ? -1 : id, kind, intended, System.nanoTime(),
                kind == Kind.CREATE ? hashes : session));
        run.stats.sent.get(kind).increment();
        run.inFlight.increment();
        sendText(frame, 0, frame.length);
        ctx.flush();
        return true;
    }

    /** Starts the closing handshake (a reconnect): the server answers and closes, then the slot reopens. */
    boolean beginClose(long now) {
        if (state != State.OPEN || !pending.isEmpty()) {
            return false;
        }
        state = State.CLOSING;
        closeDeadline = now + CLOSE_DEADLINE_NANOS;
        sendClose(1000);
        ctx.flush();
        return true;
    }

    /** Expires old requests and overdue handshakes; called by the driver a few times a second. */
    void check(long now) {
        if (state == State.CONNECTING && now - createdAt > CONNECT_DEADLINE_NANOS && ctx != null) {
            if (!failureCounted && !run.stopping) {
                failureCounted = true;
                run.stats.connectFailures.increment();
                run.problem("no upgrade within 15 s", driver.address(local), null, 0, 0);
            }
            ctx.close();
            return;
        }
        int expired = pending.expire(now, run.timeoutNanos);
        if (expired > 0) {
            run.inFlight.add(-expired);
            run.stats.timeouts.add(expired);
            run.problem(expired + " request(s) without a reply in time", driver.address(local), null, 0, 0);
        }
        if (state == State.CLOSING && now > closeDeadline) {
            run.stats.closeNotAnswered.increment();
            run.problem("the server did not finish the close handshake in 5 s", driver.address(local), null, 0, 0);
            closeDeadline = Long.MAX_VALUE;
            ctx.close();
        }
    }

    @Override
    protected void onMessage(byte[] buf, int offset, int length) {
        long now = System.nanoTime();
        SoakStats stats = run.stats;
        ReplyScanner r = ReplyScanner.scan(buf, offset, length);
        if (r.malformed()) {
            stats.wrong.increment();
            run.problem("unreadable reply", driver.address(local), buf, offset, length);
            return;
        }
        boolean idless = r.id() == ReplyScanner.NO_ID;
        Pending p = idless ? pending.takeIdless() : pending.take(r.id());
        if (p == null && pending.claimLate(r.id(), idless)) {
            stats.late.increment(); // already counted as a timeout
            return;
        }
        if (p == null) {
            stats.unmatched.increment();
            run.problem("reply to no request of this connection", driver.address(local), buf, offset, length);
            return;
        }
        run.inFlight.decrement();
        stats.answered.get(p.kind()).increment();
        stats.record(p.kind(), now - p.intendedNanos());
        switch (p.kind().classify(r.isError(), r.errorCode())) {
            case OK -> {
                String problem = checkResult(p, buf, offset, length);
                if (problem == null) {
                    stats.ok.increment();
                } else {
                    stats.wrong.increment();
                    run.problem(p.kind() + ": " + problem, driver.address(local), buf, offset, length);
                }
            }
            case EXPECTED_ERROR -> stats.expectedErrors.increment();
            case WRONG -> {
                stats.wrong.increment();
                run.problem(p.kind() + " answered with the wrong reply (expected "
                        + (p.kind().expectedError() == null ? "a result" : p.kind().expectedError()) + ")",
                        driver.address(local), buf, offset, length);
            }
        }
    }

    /** A result must be the right one: session.get returns the session asked for; a create feeds the pool. */
    private String checkResult(Pending p, byte[] buf, int offset, int length) {
        if (p.kind() == Kind.GET) {
            byte[] id = ((SessionPool.Entry) p.context()).idBytes;
            return indexOf(buf, offset, length, id) >= 0 ? null : "not the session asked for";
        }
        if (p.kind() == Kind.CREATE) {
            try {
                JsonNode result = run.codec.mapper().readTree(buf, offset, length).path("result");
                String id = result.path("id").asText("");
                String challenge = result.path("challenge").asText("");
                if (id.length() != 64 || challenge.isEmpty()) {
                    return "not a SessionEstablished";
                }
                String[] hashes = (String[]) p.context();
                run.pool.add(id, hashes[0], hashes[1], challenge);
                return null;
            } catch (Exception e) {
                return "unreadable result: " + e.getMessage();
            }
        }
        return null;
    }

    static int indexOf(byte[] buf, int offset, int length, byte[] what) {
        int end = offset + length - what.length;
        outer:
        for (int i = offset; i <= end; i++) {
            for (int j = 0; j < what.length; j++) {
                if (buf[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Closes at the end of the run. */
    void closeNow() {
        if (ctx != null) {
            ctx.close();
        }
    }
}
