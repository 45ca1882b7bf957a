package dev.sessionrpc.server.transport;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import dev.sessionrpc.server.address.AddressGroups;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide connection state: every open channel (to close them on shutdown) counted against
 * the connection limit, whatever it speaks, so that idle or slow HTTP connections cannot hold
 * every file descriptor, and against its client address's limit, so that one address cannot
 * take every place; the open WebSockets; the requests in flight across all connections (to
 * know when a drain is done); and whether the server is draining.
 */
public final class ConnectionTracker {

    private static final AttributeKey<AddressGroups.Group> ADDRESS = AttributeKey.valueOf("rpc.address-group");

    private final ChannelGroup channels = new DefaultChannelGroup("rpc-connections", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup webSockets = new DefaultChannelGroup("rpc-websockets", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    /** Written twice per request by every event loop: striped, so that loops do not contend on one cache line. */
    private final LongAdder inFlight = new LongAdder();
    private final int maxConnections;
    private final int maxPerAddress;
    /** Open connections per client address group; a group leaves the map with its last connection. */
    private final ConcurrentMap<AddressGroups.Group, Integer> perAddress = new ConcurrentHashMap<>();
    private final ServerMetrics metrics;
    private volatile boolean draining;

    public ConnectionTracker(int maxConnections, int maxPerAddress, ServerMetrics metrics) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
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

    /**
     * Counts this connection for its client's address group, or says no (and counts the refusal)
     * when the group holds its limit already. A connection counts for one group at most: the
     * socket's peer, or, behind a trusted proxy, the client the proxy names at the upgrade.
     */
    public boolean tryClaimAddress(Channel ch, AddressGroups.Group group) {
        if (ch.attr(ADDRESS).get() != null) {
            return true;
        }
        boolean[] claimed = {false};
        perAddress.compute(group, (g, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerAddress) {
                return n;
            }
            claimed[0] = true;
            return count + 1;
        });
        if (!claimed[0]) {
            metrics.connectionRefusedForItsAddress();
            return false;
        }
        ch.attr(ADDRESS).set(group);
        ch.closeFuture().addListener(f -> perAddress.computeIfPresent(group, (g, n) -> n <= 1 ? null : n - 1));
        return true;
    }

    /** Open connections of one address group. */
    public int connectionsOf(AddressGroups.Group group) {
        return perAddress.getOrDefault(group, 0);
    }

    public void webSocketOpened(Channel ch) {
        webSockets.add(ch);
        metrics.connectionOpened();
        ch.closeFuture().addListener(f -> metrics.connectionClosed());
    }

    public void requestsStarted(int n) {
        inFlight.add(n);
    }

    public void requestsFinished(int n) {
        inFlight.add(-n);
    }

    /** Requests started and not yet finished; exact once the loops are quiet (as when draining). */
    public long inFlight() {
        return inFlight.sum();
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
