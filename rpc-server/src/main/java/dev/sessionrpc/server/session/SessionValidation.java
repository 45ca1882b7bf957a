package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.session.SessionRules;

/**
 * The one format rule the service applies itself, a session id's, as part of finding the
 * session; the rules for params live in {@link SessionRules}, beside the readers that apply them.
 */
final class SessionValidation {

    private SessionValidation() {
    }

    /** Exactly {@code length} hex digits, either case. */
    static boolean isHex(String s, int length) {
        return SessionRules.isHex(s, length);
    }
}
