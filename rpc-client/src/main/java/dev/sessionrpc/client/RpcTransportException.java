package dev.sessionrpc.client;

/**
 * The connection could not carry a call: it could not be opened, it dropped while the call was
 * in flight (the server may or may not have executed it), or the client was closed.
 */
public final class RpcTransportException extends RpcClientException {
    private static final long serialVersionUID = 1L;

    public RpcTransportException(String message) {
        super(message);
    }

    public RpcTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
