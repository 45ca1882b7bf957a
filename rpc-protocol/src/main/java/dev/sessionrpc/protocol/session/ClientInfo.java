package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What a client said about itself when it created its session. */
@JsonPropertyOrder({"platform", "name", "version"})
public record ClientInfo(
        @JsonProperty("platform") String platform,
        @JsonProperty("name") String name,
        @JsonProperty("version") String version) {
}
