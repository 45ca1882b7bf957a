package dev.sessionrpc.client.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * What a client must keep to go on using a session: its id, the challenge the server returned
 * once, and the two hashes it registered with. The challenge and the private hash are secrets,
 * so {@link #toString()} leaves them out.
 */
@JsonPropertyOrder({"session_id", "challenge", "public_hash", "private_hash"})
public record StoredSession(
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("challenge") String challenge,
        @JsonProperty("public_hash") String publicHash,
        @JsonProperty("private_hash") String privateHash) {

    public StoredSession {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(publicHash, "publicHash");
        Objects.requireNonNull(privateHash, "privateHash");
    }

    @Override
    public String toString() {
        return "StoredSession[sessionId=" + sessionId + ", publicHash=" + publicHash
                + ", challenge=<hidden>, privateHash=<hidden>]";
    }
}
