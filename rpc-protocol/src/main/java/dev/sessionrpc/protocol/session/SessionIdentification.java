package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a client sends with every call to prove it owns a session: the session id, the public
 * hash it registered with, and the answer to the current challenge.
 */
public record SessionIdentification(
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("client_public_hash") String clientPublicHash,
        @JsonProperty("challenge_answer") String challengeAnswer) {
}
