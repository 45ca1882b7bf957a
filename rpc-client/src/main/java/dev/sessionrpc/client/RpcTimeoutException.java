package dev.sessionrpc.client;

import java.time.Duration;

/**
 * No reply came within the call's timeout. The time counts from the call, so it includes any
 * wait for a reconnect. A reply that arrives later is dropped.
 */
public final class RpcTimeoutException extends RpcClientException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    public RpcTimeoutException(String method, Duration timeout) {
        super("no reply to " + method + " within " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
