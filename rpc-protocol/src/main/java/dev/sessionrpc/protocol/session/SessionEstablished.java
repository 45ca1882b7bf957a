package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The reply to {@code session.create}: the new session's id and its TOTP secret, which the
 * server returns here once and never again.
 */
public record SessionEstablished(@JsonProperty("id") String id, @JsonProperty("challenge") String challenge) {

    @Override
    public String toString() {
        return "SessionEstablished[id=" + id + ", challenge=<hidden>]";
    }
}
