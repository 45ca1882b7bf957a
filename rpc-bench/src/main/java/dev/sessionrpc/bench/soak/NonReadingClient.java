package dev.sessionrpc.bench.soak;

import dev.sessionrpc.bench.RawWebSocketHandler;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * A misbehaving client: upgrades, then stops reading for good (autoRead off, and a small
 * receive buffer) while it keeps sending valid {@code session.get} requests and, now and then,
 * a ping. It sends only while its own socket is writable, so what piles up is on the server's
 * side, not in this process. Its replies are never read; nothing it does counts as an error of
 * the well-behaved clients. When the server closes it, it reconnects after a second.
 */
final class NonReadingClient extends RawWebSocketHandler {

    private final SoakRun run;
    private final LoopDriver driver;
    private final int local;
    private Runnable settled;
    private boolean open;
    private boolean failed;
    private long seq;

    NonReadingClient(SoakRun run, LoopDriver driver, int local, Runnable settled) {
        super(run.url);
        this.run = run;
        this.driver = driver;
        this.local = local;
        this.settled = settled;
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
        open = true;
        ctx.channel().config().setAutoRead(false);
        run.stats.badOpened.increment();
        run.badOpenNow.incrementAndGet();
        settle();
    }

    @Override
    protected void onMessage(byte[] buf, int offset, int length) {
        // whatever arrived with the upgrade response; never read after that
    }

    @Override
    protected void onFailure(Throwable cause) {
        if (!open && !failed) {
            failed = true;
            run.stats.badConnectFailures.increment();
        }
    }

    void connectFailed() {
        if (!failed) {
            failed = true;
            run.stats.badConnectFailures.increment();
        }
        settle();
        driver.reopenBad(local, 1000);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        super.channelInactive(ctx);
        if (open) {
            open = false;
            run.badOpenNow.decrementAndGet();
            if (!run.stopping) {
                run.stats.badClosed.increment();
            }
        } else if (!failed) {
            failed = true;
            run.stats.badConnectFailures.increment();
        }
        settle();
        if (!run.stopping) {
            driver.reopenBad(local, 1000);
        }
    }

    /** Sends up to {@code requests} requests (and a ping when {@code ping}) while the socket takes them. */
    void push(int requests, boolean ping) {
        if (!open || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().isWritable()) {
            run.stats.badBlockedTicks.increment();
            return;
        }
        boolean wrote = false;
        if (ping) {
            sendPing();
            run.stats.badPings.increment();
            wrote = true;
        }
        long unixSeconds = System.currentTimeMillis() / 1000;
        for (int i = 0; i < requests && ctx.channel().isWritable(); i++) {
            SessionPool.Entry s = run.pool.any();
            if (s == null) {
                break;
            }
            byte[] frame = SoakRequests.render(Kind.GET, ++seq, s, null, unixSeconds).getBytes(StandardCharsets.UTF_8);
            sendText(frame, 0, frame.length);
            run.stats.badSent.increment();
            wrote = true;
            if ((i & 7) == 7) {
                ctx.flush();
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    void closeNow() {
        if (ctx != null) {
            ctx.close();
        }
    }
}
