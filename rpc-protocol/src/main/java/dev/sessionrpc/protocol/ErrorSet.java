package dev.sessionrpc.protocol;

/**
 * The family an error belongs to. JSON-RPC's own codes form {@link #RPC}; the others are the
 * Socialvoid standard's sets, which clients use to catch a whole range of errors at once.
 */
public enum ErrorSet {
    RPC,
    VALIDATION,
    AUTHENTICATION,
    MEDIA,
    NETWORK,
    SERVER
}
