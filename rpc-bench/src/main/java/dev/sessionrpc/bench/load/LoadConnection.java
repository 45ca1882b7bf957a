package dev.sessionrpc.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.bench.RawWebSocketHandler;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcResponse;
import io.netty.channel.ChannelHandlerContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of the load: keeps up to {@code pipeline} requests in flight and accounts for
 * every one of them. Closed loop: each reply sends the next request, latency from the actual
 * send. Open loop: requests are due on a fixed schedule; a request whose slot is not free yet
 * waits in a backlog and its latency still counts from the time it was due, so a server that
 * stalls cannot hide its queue (no coordinated omission).
 *
 * <p>All state is touched on the channel's event loop only.
 */
public final class LoadConnection extends RawWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(LoadConnection.class);

    /** Settings shared by every connection of a run. */
    public record Plan(int pipeline, double requestsPerSecondPerConnection, long timeoutNanos,
                       AtomicLong budget, LoadStats stats, JsonRpcCodec codec) {
        boolean openLoop() {
            return requestsPerSecondPerConnection > 0;
        }
    }

    /** Makes this connection's source once setup is done; setup sends what {@code setupRequests} holds. */
    public interface Setup {
        /** Request payloads to send before the load (ids 1..n), e.g. {@code session.create}; may be empty. */
        List<byte[]> setupRequests();

        /** Builds the source from the decoded setup replies (in id order). */
        RequestSource source(List<JsonRpcResponse> replies);
    }

    private final Plan plan;
    private final Setup setup;
    private final double phase;
    private final CompletableFuture<LoadConnection> ready = new CompletableFuture<>();

    private RequestSource source;
    private byte[] out;
    private JsonRpcResponse[] setupReplies;
    private int setupPending;
    private boolean checked;

    private final int slots;
    private final long[] slotId;
    private final long[] slotStart;
    private final long[] slotSent;
    private final int[] free;
    private int freeTop;
    private long seq = 1;

    // open loop
    private OpenLoopSchedule schedule;
    private long scheduled;
    private long[] backlog = new long[64];
    private int backlogHead;
    private int backlogSize;

    public LoadConnection(URI uri, Plan plan, Setup setup, double phase) {
        super(uri);
        this.plan = plan;
        this.setup = setup;
        this.phase = phase;
        this.slots = Integer.highestOneBit(Math.max(1, plan.pipeline() - 1)) << 1;
        this.slotId = new long[slots];
        this.slotStart = new long[slots];
        this.slotSent = new long[slots];
        this.free = new int[slots];
        for (int i = plan.pipeline() - 1; i >= 0; i--) {
            free[freeTop++] = i;
        }
    }

    /** Completes when the handshake and any setup are done. */
    public CompletableFuture<LoadConnection> ready() {
        return ready;
    }

    public ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    protected void onOpen() {
        List<byte[]> requests = setup.setupRequests();
        if (requests.isEmpty()) {
            useSource(setup.source(List.of()));
            return;
        }
        setupReplies = new JsonRpcResponse[requests.size()];
        setupPending = requests.size();
        for (byte[] r : requests) {
            sendText(r.clone(), 0, r.length);
        }
        ctx.flush();
    }

    private void useSource(RequestSource s) {
        source = s;
        out = new byte[s.maxLength()];
        ready.complete(this);
    }

    @Override
    protected void onFailure(Throwable cause) {
        ready.completeExceptionally(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.completeExceptionally(new IllegalStateException("connection closed"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.completeExceptionally(cause);
        ctx.close();
    }

    @Override
    protected void onMessage(byte[] buf, int offset, int length) {
        if (source == null) {
            setupReply(buf, offset, length);
        } else {
            reply(buf, offset, length);
        }
    }

    private void setupReply(byte[] buf, int offset, int length) {
        if (setupReplies == null) {
            return;
        }
        try {
            List<JsonRpcResponse> rs = plan.codec().decodeResponses(buf, offset, length);
            for (JsonRpcResponse r : rs) {
                int index = Integer.parseInt(r.id().text()) - 1;
                if (r.isError()) {
                    ready.completeExceptionally(new IllegalStateException("setup request failed: "
                            + r.error().code() + " " + r.error().message()));
                    return;
                }
                if (setupReplies[index] == null) {
                    setupReplies[index] = r;
                    setupPending--;
                }
            }
        } catch (RuntimeException e) {
            ready.completeExceptionally(new IllegalStateException("unreadable setup reply: "
                    + new String(buf, offset, length, StandardCharsets.UTF_8), e));
            return;
        }
        if (setupPending == 0) {
            JsonRpcResponse[] replies = setupReplies;
            setupReplies = null;
            useSource(setup.source(List.of(replies)));
        }
    }

    private void reply(byte[] buf, int offset, int length) {
        long now = System.nanoTime();
        LoadStats stats = plan.stats();
        ReplyScanner r = ReplyScanner.scan(buf, offset, length);
        if (r.malformed() || r.id() == ReplyScanner.NO_ID) {
            stats.malformed.increment();
            return;
        }
        long id = r.id();
        int slot = (int) (id & (slots - 1));
        if (id <= 0 || slotId[slot] != id) {
            stats.unexpected.increment();
            return;
        }
        slotId[slot] = 0;
        free[freeTop++] = slot;
        stats.inFlight.decrement();
        stats.record(now - slotStart[slot]);
        if (plan.openLoop()) {
            stats.recordFromSend(now - slotSent[slot]);
        }
        if (r.isError()) {
            stats.error(r.errorCode());
        } else if (!checked) {
            checked = true;
            check(buf, offset, length);
        } else {
            stats.ok.increment();
        }
        refill(now);
    }

    /** Decodes the first successful reply in full and asks the source whether it is right. */
    private void check(byte[] buf, int offset, int length) {
        String problem;
        try {
            JsonNode node = plan.codec().mapper().readTree(buf, offset, length);
            problem = source.check(node);
        } catch (Exception e) {
            problem = "unreadable reply: " + e;
        }
        if (problem == null) {
            plan.stats().ok.increment();
        } else {
            plan.stats().invalid.increment();
            log.warn("wrong reply on {}: {}", ctx.channel().localAddress(), problem);
        }
    }

    private void refill(long now) {
        if (!plan.stats().sending) {
            return;
        }
        if (plan.openLoop()) {
            while (backlogSize > 0 && freeTop > 0) {
                long due = backlog[backlogHead];
                backlogHead = (backlogHead + 1) & (backlog.length - 1);
                backlogSize--;
                send(due);
            }
        } else {
            while (freeTop > 0 && takeBudget()) {
                send(now);
            }
        }
    }

    private boolean takeBudget() {
        AtomicLong budget = plan.budget();
        if (budget == null) {
            return true;
        }
        if (budget.decrementAndGet() >= 0) {
            return true;
        }
        plan.stats().sending = false;
        return false;
    }

    private void send(long start) {
        int slot = free[--freeTop];
        long id = (seq++) * slots + slot;
        slotId[slot] = id;
        slotStart[slot] = start;
        if (plan.openLoop()) {
            slotSent[slot] = System.nanoTime();
        }
        plan.stats().sent.increment();
        plan.stats().inFlight.increment();
        sendText(out, 0, source.write(out, id));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /** Starts sending; runs on the event loop. {@code t0} is the common start of the schedule. */
    void start(long t0) {
        if (plan.openLoop()) {
            this.schedule = new OpenLoopSchedule(t0, plan.requestsPerSecondPerConnection(), phase);
            this.scheduled = 0;
        } else {
            refill(System.nanoTime());
            ctx.flush();
        }
    }

    /** Called by the loop's ticker: sends what is due (open loop) and expires old requests. */
    void tick(long now, boolean checkTimeouts) {
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean wrote = false;
        if (checkTimeouts) {
            wrote = expire(now);
        }
        if (plan.openLoop() && plan.stats().sending) {
            while (true) {
                long due = schedule.due(scheduled);
                if (due > now || !takeBudget()) {
                    break;
                }
                scheduled++;
                if (freeTop > 0 && backlogSize == 0) {
                    send(due);
                    wrote = true;
                } else {
                    enqueue(due);
                }
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private boolean expire(long now) {
        boolean sentAny = false;
        for (int s = 0; s < slots; s++) {
            if (slotId[s] != 0 && now - slotStart[s] > plan.timeoutNanos()) {
                slotId[s] = 0;
                free[freeTop++] = s;
                plan.stats().inFlight.decrement();
                plan.stats().timeouts.increment();
                sentAny = true;
            }
        }
        if (sentAny) {
            refill(now);
        }
        return sentAny;
    }

    private void enqueue(long due) {
        if (backlogSize == backlog.length) {
            long[] bigger = new long[backlog.length * 2];
            for (int i = 0; i < backlogSize; i++) {
                bigger[i] = backlog[(backlogHead + i) & (backlog.length - 1)];
            }
            backlog = bigger;
            backlogHead = 0;
        }
        backlog[(backlogHead + backlogSize) & (backlog.length - 1)] = due;
        backlogSize++;
    }

    /**
     * Ends the schedule (open loop): requests that were due but never sent are counted as
     * {@code unsent} and their waiting time so far goes into the histogram as a lower bound.
     */
    void abandonBacklog(long now) {
        while (backlogSize > 0) {
            long due = backlog[backlogHead];
            backlogHead = (backlogHead + 1) & (backlog.length - 1);
            backlogSize--;
            plan.stats().record(now - due);
            plan.stats().unsent.increment();
        }
    }
}
