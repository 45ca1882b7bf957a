package dev.sessionrpc.server.dispatch;

import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What a method may know about a call: the client's address (the socket peer, or the forwarded
 * address when the peer is a trusted proxy), the transport it used, the event loop of its
 * connection, and its deadline. A method that waits on another thread (a remote store) may use
 * the deadline to bound that wait; whatever it does, the server answers the call by the deadline
 * ({@code --request-timeout}) and replies on the connection's loop, never on the method's thread.
 *
 * @param deadlineNanos when the reply is due, on the event loop's clock ({@code eventLoop.ticker()},
 *     the system's nanosecond clock except where a test drives the loop's time)
 */
public record RequestContext(InetAddress clientAddress, Transport transport, EventExecutor eventLoop,
                             long deadlineNanos) {

    /** How the call arrived. */
    public enum Transport { WEBSOCKET, HTTP }

    public RequestContext {
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(eventLoop, "eventLoop");
    }

    /** Nanoseconds left until the deadline; zero or less once it has passed. */
    public long remainingNanos() {
        return deadlineNanos - eventLoop.ticker().nanoTime();
    }

    /** The time left, in the unit asked for (for a store's own command timeout). */
    public long remaining(TimeUnit unit) {
        return unit.convert(remainingNanos(), TimeUnit.NANOSECONDS);
    }
}
