package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.Session;
import java.util.List;
import java.util.Objects;

/**
 * A session as the server keeps it, secrets included: the private hash and the challenge never
 * leave the server after {@code session.create}. Times are Unix seconds. Immutable; a touch makes
 * a new value, so a store can swap it atomically.
 */
public record StoredSession(
        String id,
        String publicHash,
        String privateHash,
        String challenge,
        long created,
        long expires,
        long lastActive,
        ClientInfo client,
        String clientAddress) {

    public StoredSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicHash, "publicHash");
        Objects.requireNonNull(privateHash, "privateHash");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(client, "client");
    }

    /**
     * This session after a successful identification at {@code now}. Neither time moves
     * backwards, so two touches racing with slightly different clocks cannot undo each other.
     */
    public StoredSession touchedAt(long now, long newExpires) {
        return new StoredSession(id, publicHash, privateHash, challenge, created,
                Math.max(expires, newExpires), Math.max(lastActive, now), client, clientAddress);
    }

    /** This session with the times a store answered to a touch. */
    public StoredSession withTimes(SessionTimes times) {
        return new StoredSession(id, publicHash, privateHash, challenge, created, times.expires(), times.lastActive(),
                client, clientAddress);
    }

    /**
     * The public view, without secrets, at the times a store answered to a touch: what
     * {@code withTimes(times).toSession()} would be, without the stored value in between.
     */
    public Session toSession(SessionTimes times) {
        return new Session(id, List.of(), false, created, times.expires(), times.lastActive(), client);
    }

    @Override
    public String toString() {
        return "StoredSession[id=" + id + ", created=" + created + ", expires=" + expires
                + ", lastActive=" + lastActive + ", client=" + client + ", secrets=<hidden>]";
    }
}
