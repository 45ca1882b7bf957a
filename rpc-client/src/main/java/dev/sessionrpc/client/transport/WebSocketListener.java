package dev.sessionrpc.client.transport;

/**
 * What a {@link WebSocketConnection} reports. Called on the connection's event loop, so an
 * implementation must return quickly and never block.
 */
public interface WebSocketListener {

    /** One whole message (fragments joined), text or binary, as its bytes. */
    void onMessage(WebSocketConnection connection, byte[] payload, boolean binary);

    /**
     * The connection is gone. {@code closeStatus} is the status of the peer's close frame, or -1
     * when the socket ended without one; {@code cause} is the error that ended it, or null.
     */
    void onClosed(WebSocketConnection connection, int closeStatus, String closeReason, Throwable cause);
}
