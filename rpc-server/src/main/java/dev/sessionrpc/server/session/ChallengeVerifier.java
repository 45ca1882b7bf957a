package dev.sessionrpc.server.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sessionrpc.protocol.session.Challenge;
import java.time.Duration;

/**
 * Checks challenge answers against every step of the allowed window. An answer only changes
 * every 30 s step, so the expected answers of a session's window are kept for reuse: while the
 * step stays the same a check is 2W+1 constant-time comparisons and no hashing; when the step
 * moves on, only the answers that are new to the window are computed.
 */
final class ChallengeVerifier {

    private static final long MAX_CACHED_WINDOWS = 200_000;

    private final int window;
    private final Cache<String, AnswerWindow> windows;

    ChallengeVerifier(int window) {
        this.window = window;
        this.windows = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED_WINDOWS)
                .expireAfterAccess(Duration.ofSeconds(2L * Challenge.STEP_SECONDS))
                .executor(Runnable::run)
                .build();
    }

    /** Whether {@code answer} is right for some step within the window around {@code nowSeconds}. */
    boolean verify(StoredSession session, String answer, long nowSeconds) {
        long counter = Challenge.counterAt(nowSeconds);
        AnswerWindow current = windows.getIfPresent(session.id());
        if (current == null || current.baseCounter != counter) {
            current = AnswerWindow.compute(new Challenge(session.challenge(), session.privateHash()), counter, window, current);
            windows.put(session.id(), current);
        }
        byte[] given = Challenge.normalizeAnswer(answer);
        boolean ok = false;
        for (byte[] expected : current.answers) {
            ok |= Challenge.matches(expected, given);
        }
        return ok;
    }

    /** The expected answers for steps {@code base - W .. base + W}. */
    private static final class AnswerWindow {
        final long baseCounter;
        final byte[][] answers;

        private AnswerWindow(long baseCounter, byte[][] answers) {
            this.baseCounter = baseCounter;
            this.answers = answers;
        }

        static AnswerWindow compute(Challenge challenge, long base, int w, AnswerWindow previous) {
            byte[][] answers = new byte[2 * w + 1][];
            for (int i = 0; i < answers.length; i++) {
                long counter = base - w + i;
                int reuse = previous == null ? -1 : (int) (counter - (previous.baseCounter - w));
                answers[i] = reuse >= 0 && reuse < previous.answers.length
                        ? previous.answers[reuse]
                        : challenge.answerBytes(counter);
            }
            return new AnswerWindow(base, answers);
        }
    }
}
