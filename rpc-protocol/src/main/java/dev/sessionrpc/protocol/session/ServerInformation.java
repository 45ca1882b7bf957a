package dev.sessionrpc.protocol.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The standard's {@code ServerInformation}, every member present because real clients read all
 * of them. Members for features this server does not offer are empty or zero.
 */
@JsonPropertyOrder({"network_name", "protocol_version", "cdn_server", "upload_max_file_size",
        "unauthorized_session_ttl", "authorized_session_ttl", "retrieve_likes_max_limit",
        "retrieve_reposts_max_limit", "retrieve_replies_max_limit", "retrieve_quotes_max_limit",
        "retrieve_feed_max_limit", "retrieve_followers_max_limit", "retrieve_following_max_limit"})
public record ServerInformation(
        @JsonProperty("network_name") String networkName,
        @JsonProperty("protocol_version") String protocolVersion,
        @JsonProperty("cdn_server") String cdnServer,
        @JsonProperty("upload_max_file_size") long uploadMaxFileSize,
        @JsonProperty("unauthorized_session_ttl") long unauthorizedSessionTtl,
        @JsonProperty("authorized_session_ttl") long authorizedSessionTtl,
        @JsonProperty("retrieve_likes_max_limit") int retrieveLikesMaxLimit,
        @JsonProperty("retrieve_reposts_max_limit") int retrieveRepostsMaxLimit,
        @JsonProperty("retrieve_replies_max_limit") int retrieveRepliesMaxLimit,
        @JsonProperty("retrieve_quotes_max_limit") int retrieveQuotesMaxLimit,
        @JsonProperty("retrieve_feed_max_limit") int retrieveFeedMaxLimit,
        @JsonProperty("retrieve_followers_max_limit") int retrieveFollowersMaxLimit,
        @JsonProperty("retrieve_following_max_limit") int retrieveFollowingMaxLimit) {

    public static final String PROTOCOL_VERSION = "1.0";

    /** The information of a session-only server: the given name and TTLs, every other feature off. */
    public static ServerInformation sessionsOnly(String networkName, long unauthorizedTtl, long authorizedTtl) {
        return new ServerInformation(networkName, PROTOCOL_VERSION, "", 0, unauthorizedTtl, authorizedTtl,
                0, 0, 0, 0, 0, 0, 0);
    }
}
