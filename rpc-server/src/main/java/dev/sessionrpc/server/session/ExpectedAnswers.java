package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.session.Challenge;
import org.bouncycastle.util.Arrays;

/**
 * The answers a session accepts in the window around one TOTP step, kept with the session so
 * that every {@code session.get} within that step compares and does not hash. Raw SHA-1 digests,
 * 20 bytes a step in one array, because an active session carries these for as long as it is
 * used: 100 bytes for the default window of 2 steps either side. Immutable; a new step makes a
 * new value.
 */
final class ExpectedAnswers {

    private final long firstCounter;
    private final byte[] digests;

    /** @param digests the digests of the steps from {@code firstCounter} on, one after the other */
    ExpectedAnswers(long firstCounter, byte[] digests) {
        if (digests.length == 0 || digests.length % Challenge.DIGEST_LENGTH != 0) {
            throw new IllegalArgumentException("digests must be whole SHA-1 digests, got " + digests.length + " bytes");
        }
        this.firstCounter = firstCounter;
        this.digests = digests;
    }

    /** The counter of the window's first step. */
    long firstCounter() {
        return firstCounter;
    }

    /** How many steps the window spans. */
    int steps() {
        return digests.length / Challenge.DIGEST_LENGTH;
    }

    /** Copies the digests of steps {@code from} (inclusive) to {@code to} (exclusive), all in this window, into {@code out}. */
    void copySteps(long from, long to, byte[] out, int offset) {
        System.arraycopy(digests, (int) (from - firstCounter) * Challenge.DIGEST_LENGTH, out, offset,
                (int) (to - from) * Challenge.DIGEST_LENGTH);
    }

    /**
     * Whether {@code givenDigest} equals the answer of some step of the window. Every step is
     * compared in constant time, so the time taken tells nothing about which step, if any, matched.
     */
    boolean matches(byte[] givenDigest) {
        boolean ok = false;
        for (int i = 0; i < steps(); i++) {
            ok |= Arrays.constantTimeAreEqual(Challenge.DIGEST_LENGTH, digests, i * Challenge.DIGEST_LENGTH, givenDigest, 0);
        }
        return ok;
    }
}
