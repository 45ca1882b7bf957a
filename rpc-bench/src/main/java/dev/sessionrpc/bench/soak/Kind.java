package dev.sessionrpc.bench.soak;

import dev.sessionrpc.protocol.ErrorCode;

/**
 * What a well-behaved soak connection sends, and the one answer each must get: a result for
 * {@code session.get} and {@code session.create}, and for each kind of bad input the JSON-RPC
 * error the protocol documents for it. Any other answer is an error of the server.
 */
public enum Kind {
    /** session.get of a pooled session with the right challenge answer. */
    GET(null),
    /** session.create with fresh hashes (kept under the per-address create throttle). */
    CREATE(null),
    /** A frame that is not JSON. Answered with id null. */
    PARSE_ERROR(ErrorCode.PARSE_ERROR),
    /** session.get without session_identification. */
    MISSING_PARAMETER(ErrorCode.MISSING_PARAMETER),
    /** session.create with a public_hash that is not 64 hex digits. */
    BAD_PUBLIC_HASH(ErrorCode.INVALID_CLIENT_PUBLIC_HASH),
    /** session.get of a pooled session with a wrong (well-formed) answer. */
    BAD_ANSWER(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER),
    /** session.get of a session id nobody created. */
    UNKNOWN_SESSION(ErrorCode.SESSION_NOT_FOUND),
    /** A method the server does not have. */
    UNKNOWN_METHOD(ErrorCode.METHOD_NOT_FOUND);

    /** The bad inputs, in the order the mix sends them. */
    public static final Kind[] BAD_INPUTS = {PARSE_ERROR, MISSING_PARAMETER, BAD_PUBLIC_HASH, BAD_ANSWER,
            UNKNOWN_SESSION, UNKNOWN_METHOD};

    private final ErrorCode expectedError;

    Kind(ErrorCode expectedError) {
        this.expectedError = expectedError;
    }

    /** The error this kind must be answered with; null when it must succeed. */
    public ErrorCode expectedError() {
        return expectedError;
    }

    /** A parse error cannot echo an id: its reply carries id null. */
    public boolean answeredWithoutId() {
        return this == PARSE_ERROR;
    }

    /** What a reply of this shape means for a request of this kind. */
    public Verdict classify(boolean isError, int errorCode) {
        if (expectedError == null) {
            return isError ? Verdict.WRONG : Verdict.OK;
        }
        return isError && errorCode == expectedError.code() ? Verdict.EXPECTED_ERROR : Verdict.WRONG;
    }

    /** The three things a reply can be. */
    public enum Verdict {
        /** A result where one was due. */
        OK,
        /** The documented error where bad input was sent: counted, not an error. */
        EXPECTED_ERROR,
        /** Anything else: an error of the server. */
        WRONG
    }
}
