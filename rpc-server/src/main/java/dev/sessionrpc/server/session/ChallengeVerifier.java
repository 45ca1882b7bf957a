package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.session.Challenge;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks challenge answers against every step of the allowed window. An answer changes only every
 * 30 s step, so the expected answers of a session's window are kept on its {@link SessionRecord}:
 * while the step stays the same a check is 2W+1 constant-time comparisons and no hashing, for as
 * many active sessions as the store holds; when the step moves on, only the answers new to the
 * window are computed. Thread-safe; one instance serves every event loop.
 */
public final class ChallengeVerifier {

    private final int window;
    private final LongAdder answersComputed = new LongAdder();

    /** @param window how many steps either side of the current one are accepted */
    public ChallengeVerifier(int window) {
        if (window < 0) {
            throw new IllegalArgumentException("window must be 0 or more, was " + window);
        }
        this.window = window;
    }

    /** Whether {@code answer} (40 hex characters, any case) is right for some step within the window around {@code nowSeconds}. */
    public boolean verify(SessionRecord record, String answer, long nowSeconds) {
        byte[] given = digestOf(answer);
        if (given == null) {
            return false;
        }
        return expectedAt(record, Challenge.counterAt(nowSeconds)).matches(given);
    }

    /** How many answers (one HMAC-SHA1 and one SHA-1 each) this verifier has computed. */
    public long answersComputed() {
        return answersComputed.sum();
    }

    private ExpectedAnswers expectedAt(SessionRecord record, long counter) {
        long first = counter - window;
        int steps = 2 * window + 1;
        ExpectedAnswers current = record.expectedAnswers();
        if (current != null && current.firstCounter() == first && current.steps() == steps) {
            return current;
        }
        ExpectedAnswers next = compute(record.session(), first, steps, current);
        record.expectedAnswers(next);
        return next;
    }

    /** The window from {@code first}, reusing the steps it shares with {@code previous}. */
    private ExpectedAnswers compute(StoredSession session, long first, int steps, ExpectedAnswers previous) {
        long end = first + steps;
        byte[] digests = new byte[steps * Challenge.DIGEST_LENGTH];
        long missingFrom = first;
        long missingTo = end;
        if (previous != null && previous.steps() == steps) {
            long sharedFrom = Math.max(first, previous.firstCounter());
            long sharedTo = Math.min(end, previous.firstCounter() + steps);
            if (sharedFrom < sharedTo) {
                previous.copySteps(sharedFrom, sharedTo, digests, offset(first, sharedFrom));
                // windows of one length share a run at one end, so what is missing is one run at the other
                missingFrom = sharedFrom == first ? sharedTo : first;
                missingTo = sharedFrom == first ? end : sharedFrom;
            }
        }
        int missing = (int) (missingTo - missingFrom);
        if (missing > 0) {
            byte[] fresh = new Challenge(session.challenge(), session.privateHash()).answerDigests(missingFrom, missing);
            System.arraycopy(fresh, 0, digests, offset(first, missingFrom), fresh.length);
            answersComputed.add(missing);
        }
        return new ExpectedAnswers(first, digests);
    }

    private static int offset(long first, long counter) {
        return (int) (counter - first) * Challenge.DIGEST_LENGTH;
    }

    /** The raw digest of a 40-hex-character answer in either case; null for anything else. */
    private static byte[] digestOf(String answer) {
        if (answer == null || answer.length() != Challenge.ANSWER_LENGTH) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(answer);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
