package dev.sessionrpc.client;

import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.ParamsBytes;
import dev.sessionrpc.protocol.RequestId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * One message on its way to the server: a single request or notification, or a batch. Its calls
 * share one timeout, which starts when the message is handed to the client.
 */
final class OutgoingMessage {

    final boolean batch;
    final Duration timeout;
    final List<JsonRpcRequest> requests = new ArrayList<>();
    final List<PendingCall> pendings = new ArrayList<>();
    /** Completes when the message is written to the socket. */
    final CompletableFuture<Void> written = new CompletableFuture<>();
    /** Set and read on the event loop only. */
    ScheduledFuture<?> timeoutTask;
    private int remaining;

    OutgoingMessage(boolean batch, Duration timeout) {
        this.batch = batch;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Adds a request (id set) or a notification (id null); returns the request's reply future, or null. */
    CompletableFuture<JsonRpcResponse> add(RequestId id, String method, ParamsBytes params) {
        requests.add(new JsonRpcRequest(id, method, params));
        if (id == null) {
            return null;
        }
        PendingCall p = new PendingCall(id, method, this);
        pendings.add(p);
        remaining++;
        return p.future;
    }

    String describe() {
        return pendings.size() == 1 ? pendings.get(0).method : "a batch of " + requests.size();
    }

    void markWritten(Executor callbacks) {
        completeOn(callbacks, () -> written.complete(null));
    }

    void failAll(RpcClientException e, Executor callbacks) {
        completeOn(callbacks, () -> {
            for (PendingCall p : pendings) {
                p.future.completeExceptionally(e);
            }
            written.completeExceptionally(e);
        });
    }

    /** One call answered or failed; when none is left the timeout is no longer needed. */
    void oneDone() {
        if (--remaining == 0 && timeoutTask != null) {
            timeoutTask.cancel(false);
        }
    }

    /** Runs a completion on the callback executor, or here when that executor refuses. */
    static void completeOn(Executor callbacks, Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }
}
