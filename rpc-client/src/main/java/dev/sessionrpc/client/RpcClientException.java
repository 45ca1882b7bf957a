package dev.sessionrpc.client;

/**
 * Everything a call can fail with, so that a caller can catch one type: the server's error reply
 * ({@link RpcErrorException}), no reply in time ({@link RpcTimeoutException}), or a transport
 * that could not carry the call ({@link RpcTransportException}).
 */
public class RpcClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RpcClientException(String message) {
        super(message);
    }

    public RpcClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
