package dev.sessionrpc.client.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client WebSocket is opened and kept: how long connecting and the upgrade may take, the
 * largest message accepted from the server (after joining fragments), how often an idle socket
 * is pinged (a socket that hears nothing for three intervals is taken for dead and closed, so a
 * half-open connection after a network change is noticed), and whether the socket keeps reading
 * after a failed write. A peer that refuses a message (close 1009) may reset the connection while
 * the message is still being written; reading on lets the close frame it sent first be seen.
 */
public record WebSocketOptions(Duration connectTimeout, Duration handshakeTimeout, int maxMessageBytes,
                               Duration pingInterval, boolean readAfterWriteFailure) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    /** Pings off: for short-lived connections such as the conformance suite's. */
    public static final Duration NO_PINGS = Duration.ZERO;
    public static final WebSocketOptions DEFAULTS = new WebSocketOptions(DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_PING_INTERVAL, false);

    public WebSocketOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (pingInterval.isNegative()) {
            throw new IllegalArgumentException("pingInterval must not be negative (zero switches pings off)");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
        }
    }

    public boolean pings() {
        return !pingInterval.isZero();
    }
}
