package dev.sessionrpc.server.dispatch;

import java.util.concurrent.CompletionStage;

/**
 * The server's half of a {@link dev.sessionrpc.protocol.MethodDescriptor}: it gets the params
 * its descriptor read and returns the result its descriptor writes. Like every method it must
 * not block, and it fails with {@link dev.sessionrpc.protocol.RpcException} for a catalogued
 * error; anything else becomes InternalServerError.
 */
@FunctionalInterface
public interface TypedMethodHandler<P, R> {

    CompletionStage<? extends R> handle(P params, RequestContext context);
}
