package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-wide connection state: every open channel (to close them on shutdown), the WebSocket
 * count against the connection limit, the requests in flight across all connections (to know
 * when a drain is done), and whether the server is draining.
 */
public final class ConnectionTracker {

    private static final AttributeKey<Boolean> RESERVED = AttributeKey.valueOf("rpc.websocket-place");

    private final ChannelGroup channels = new DefaultChannelGroup("rpc-connections", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup webSockets = new DefaultChannelGroup("rpc-websockets", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger reservedWebSockets = new AtomicInteger();
    private final AtomicLong inFlight = new AtomicLong();
    private final int maxWebSockets;
    private final ServerMetrics metrics;
    private volatile boolean draining;

    public ConnectionTracker(int maxWebSockets, ServerMetrics metrics) {
        this.maxWebSockets = maxWebSockets;
        this.metrics = metrics;
    }

    public void channelOpened(Channel ch) {
        channels.add(ch);
    }

    /**
     * Takes one of the WebSocket places for this channel, or says no when all are taken or the
     * server is draining. A place taken is given back when the channel closes; a channel holds at
     * most one, however often it asks.
     */
    public boolean tryReserveWebSocket(Channel ch) {
        if (draining) {
            return false;
        }
        if (ch.hasAttr(RESERVED)) {
            // a connection that retries a failed upgrade keeps the one place it has
            return true;
        }
        if (reservedWebSockets.incrementAndGet() > maxWebSockets) {
            reservedWebSockets.decrementAndGet();
            metrics.connectionRefused();
            return false;
        }
        ch.attr(RESERVED).set(Boolean.TRUE);
        ch.closeFuture().addListener(f -> reservedWebSockets.decrementAndGet());
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

    public int webSocketCount() {
        return reservedWebSockets.get();
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
