package dev.sessionrpc.server.session;

/**
 * What a store answers to a touch: only the session's new times, in Unix seconds, so that a
 * remote store sends no secrets back over the network on every {@code session.get}.
 */
public record SessionTimes(long expires, long lastActive) {
}
