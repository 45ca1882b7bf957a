package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The reply to {@code session.get}: the standard's {@code Session} object (id, flags,
 * authenticated, created, expires; times in Unix seconds) with two additions, {@code last_active}
 * and {@code client}, which clients that do not know them ignore.
 */
@JsonPropertyOrder({"id", "flags", "authenticated", "created", "expires", "last_active", "client"})
public record Session(
        @JsonProperty("id") String id,
        @JsonProperty("flags") List<String> flags,
        @JsonProperty("authenticated") boolean authenticated,
        @JsonProperty("created") long created,
        @JsonProperty("expires") long expires,
        @JsonProperty("last_active") long lastActive,
        @JsonProperty("client") ClientInfo client) {

    public Session {
        flags = flags == null ? List.of() : List.copyOf(flags);
    }
}
