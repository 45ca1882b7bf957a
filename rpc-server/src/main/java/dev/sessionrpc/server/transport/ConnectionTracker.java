package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-wide connection state: every open channel (to close them on shutdown) counted against
 * the connection limit, whatever it speaks, so that idle or slow HTTP connections cannot hold
 * every file descriptor; the open WebSockets; the requests in flight across all connections (to
 * know when a drain is done); and whether the server is draining.
 */
public final class ConnectionTracker {

    private final ChannelGroup channels = new DefaultChannelGroup("rpc-connections", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup webSockets = new DefaultChannelGroup("rpc-websockets", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong inFlight = new AtomicLong();
    private final int maxConnections;
    private final ServerMetrics metrics;
    private volatile boolean draining;

    public ConnectionTracker(int maxConnections, ServerMetrics metrics) {
        this.maxConnections = maxConnections;
        this.metrics = metrics;
    }

    /**
     * Counts a newly accepted connection, or says no (and counts the refusal) when the limit is
     * reached. A connection counted is given back when it closes.
     */
    public boolean tryOpen(Channel ch) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            metrics.connectionRefused();
            return false;
        }
        channels.add(ch);
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    public void webSocketOpened(Channel ch) {
        webSockets.add(ch);
        metrics.connectionOpened();
        ch.closeFuture().addListener(f -> metrics.connectionClosed());
    }

    public void requestsStarted(int n) {
        inFlight.addAndGet(n);
    }

    public void requestsFinished(int n) {
        inFlight.addAndGet(-n);
    }

    public long inFlight() {
        return inFlight.get();
    }

    /** Open TCP connections, HTTP and WebSocket alike. */
    public int openConnections() {
        return open.get();
    }

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }

    public ChannelGroup channels() {
        return channels;
    }

    public ChannelGroup webSockets() {
        return webSockets;
    }
}
