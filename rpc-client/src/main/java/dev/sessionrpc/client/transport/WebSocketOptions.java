package dev.sessionrpc.client.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client WebSocket is opened: how long connecting and the upgrade may take, the largest
 * message accepted from the server (after joining fragments), and whether the socket keeps
 * reading after a failed write. A peer that refuses a message (close 1009) may reset the
 * connection while the message is still being written; reading on lets the close frame it sent
 * first be seen.
 */
public record WebSocketOptions(Duration connectTimeout, Duration handshakeTimeout, int maxMessageBytes,
                               boolean readAfterWriteFailure) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    public static final WebSocketOptions DEFAULTS =
            new WebSocketOptions(DEFAULT_CONNECT_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_MESSAGE_BYTES, false);

    public WebSocketOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
        }
    }

    public WebSocketOptions(Duration connectTimeout, Duration handshakeTimeout, int maxMessageBytes) {
        this(connectTimeout, handshakeTimeout, maxMessageBytes, false);
    }
}
