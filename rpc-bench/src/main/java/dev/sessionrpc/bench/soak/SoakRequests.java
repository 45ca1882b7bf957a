package dev.sessionrpc.bench.soak;

import dev.sessionrpc.bench.load.Workloads;

/**
 * Renders the request of each {@link Kind}. The soak sends a few thousand per second, so plain
 * strings are cheap enough here (the {@code load} command's byte templates are for peak rates).
 */
final class SoakRequests {

    private SoakRequests() {
    }

    /** The frame for a request of this kind; {@code session} is the pooled session it uses, if any. */
    static String render(Kind kind, long id, SessionPool.Entry session, String[] createHashes, long unixSeconds) {
        return switch (kind) {
            case GET -> session.getPrefix() + session.answerAt(unixSeconds) + "\"}},\"id\":" + id + "}";
            case BAD_ANSWER -> session.getPrefix() + "0".repeat(40) + "\"}},\"id\":" + id + "}";
            case CREATE -> Workloads.createBody(createHashes[0], createHashes[1]) + ",\"id\":" + id + "}";
            case PARSE_ERROR -> "{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"session_identification\":";
            case MISSING_PARAMETER -> "{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{},\"id\":" + id + "}";
            case BAD_PUBLIC_HASH -> Workloads.createBody("not-a-hash", Workloads.randomHex()) + ",\"id\":" + id + "}";
            case UNKNOWN_SESSION -> "{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"session_identification\":{"
                    + "\"session_id\":\"" + Workloads.randomHex() + "\",\"client_public_hash\":\"" + Workloads.randomHex()
                    + "\",\"challenge_answer\":\"" + "1".repeat(40) + "\"}},\"id\":" + id + "}";
            case UNKNOWN_METHOD -> "{\"jsonrpc\":\"2.0\",\"method\":\"session.no_such_method\",\"id\":" + id + "}";
        };
    }

    /** Which kinds need a pooled session. */
    static boolean needsSession(Kind kind) {
        return kind == Kind.GET || kind == Kind.BAD_ANSWER;
    }
}
