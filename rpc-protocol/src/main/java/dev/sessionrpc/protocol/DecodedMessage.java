package dev.sessionrpc.protocol;

import java.util.List;
import java.util.Objects;

/**
 * What one incoming message turned out to be. Either the whole message failed
 * ({@link #failure()} set: parse error, empty or oversized batch), or it holds one entry
 * (a single request) or several (a batch), each a request or a ready error reply.
 */
public record DecodedMessage(boolean batch, List<Entry> entries, JsonRpcResponse failure) {

    /** One element: a valid request, or the error reply an invalid element earns. */
    public record Entry(JsonRpcRequest request, JsonRpcResponse invalid) {
        public Entry {
            if ((request == null) == (invalid == null)) {
                throw new IllegalArgumentException("exactly one of request and invalid");
            }
        }
    }

    public DecodedMessage {
        entries = List.copyOf(entries);
    }

    public static DecodedMessage failed(JsonRpcResponse failure) {
        return new DecodedMessage(false, List.of(), Objects.requireNonNull(failure));
    }

    public static DecodedMessage single(Entry entry) {
        return new DecodedMessage(false, List.of(entry), null);
    }

    public static DecodedMessage batch(List<Entry> entries) {
        return new DecodedMessage(true, entries, null);
    }

    public boolean isFailure() {
        return failure != null;
    }
}
