package dev.sessionrpc.server.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * How a connection appears in the log: every line about it starts with its short id and peer
 * ({@code 6f1c2a9e /203.0.113.7:51234}), so that an operator can follow one connection with grep,
 * and a WebSocket ends with one line saying who closed it (client, server, idle, shutdown, limit),
 * with which code and reason, how long it lived and how many requests it sent.
 */
public final class ConnectionLog {

    /** Who ended a WebSocket. */
    public enum Closer { CLIENT, SERVER, IDLE, SHUTDOWN, LIMIT }

    /** The first word on a WebSocket's end: who closed it, with the close code and reason sent or received. */
    public record Closing(Closer by, int code, String reason) {
    }

    private static final AttributeKey<Closing> CLOSING = AttributeKey.valueOf("rpc.closing");
    /** The code RFC 6455 gives a connection that ended without a close frame. */
    private static final int NO_CLOSE_FRAME = 1006;

    private ConnectionLog() {
    }

    /** The connection's short id and peer address, the start of each of its lines. */
    public static String name(Channel ch) {
        return ch.id().asShortText() + " " + ch.remoteAddress();
    }

    /** A line about this connection, carrying its id as the field {@code connection} (in JSON logs). */
    public static LoggingEventBuilder about(Channel ch, LoggingEventBuilder line) {
        return line.addKeyValue("connection", ch.id().asShortText());
    }

    /** Notes who is closing the connection and why; the first word counts, later ones are ignored. */
    public static void closing(Channel ch, Closer by, int code, String reason) {
        ch.attr(CLOSING).setIfAbsent(new Closing(by, code, reason == null ? "" : reason));
    }

    /** Who closed the connection, as noted; a connection that just went away was the client's doing. */
    static Closing closingOf(Channel ch) {
        Closing closing = ch.attr(CLOSING).get();
        return closing != null ? closing : new Closing(Closer.CLIENT, NO_CLOSE_FRAME, "no close frame");
    }

    /** Logs the WebSocket's last line when it closes, with its lifetime and the requests it sent. */
    static void logWhenClosed(Channel ch, Logger log, long openedNanos, LongSupplier requests) {
        ch.closeFuture().addListener(f -> {
            Closing closing = closingOf(ch);
            double seconds = (System.nanoTime() - openedNanos) / 1e9;
            about(ch, log.atInfo()).log("{} closed by {}: {}{}; open {} s, {} request(s)", name(ch),
                    closing.by().name().toLowerCase(Locale.ROOT), closing.code(),
                    closing.reason().isEmpty() ? "" : " " + closing.reason(),
                    String.format(Locale.ROOT, "%.1f", seconds), requests.getAsLong());
        });
    }
}
