package dev.sessionrpc.client;

import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** A call awaiting its reply; its future completes on the callback executor. */
final class PendingCall {

    final RequestId id;
    final String method;
    final OutgoingMessage message;
    final CompletableFuture<JsonRpcResponse> future = new CompletableFuture<>();

    PendingCall(RequestId id, String method, OutgoingMessage message) {
        this.id = id;
        this.method = method;
        this.message = message;
    }

    void complete(JsonRpcResponse response, Executor callbacks) {
        message.oneDone();
        OutgoingMessage.completeOn(callbacks, () -> future.complete(response));
    }

    void fail(RpcClientException e, Executor callbacks) {
        message.oneDone();
        OutgoingMessage.completeOn(callbacks, () -> future.completeExceptionally(e));
    }
}
