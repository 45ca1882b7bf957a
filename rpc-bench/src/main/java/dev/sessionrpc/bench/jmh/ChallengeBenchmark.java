package dev.sessionrpc.bench.jmh;

import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.server.session.ChallengeVerifier;
import dev.sessionrpc.server.session.SessionRecord;
import dev.sessionrpc.server.session.StoredSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The challenge check the server runs, {@code ChallengeVerifier} with the window of 2 steps
 * either side (5 in all). Three cases: within a step, where the session's record already carries
 * its expected answers and a check only compares; the step moving on, where one new answer is
 * computed; and a record seen for the first time, where all five are (HMAC-SHA1 plus SHA-1 each).
 * Uses the test vectors of PROTOCOL.md section 4.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChallengeBenchmark {

    static final String PRIVATE_HASH = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    static final String SECRET = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";
    static final long NOW = 1_627_489_650L;
    static final String RIGHT = "dfbc72798b41977d340584dd4afc8e085d3d824d";
    static final String WRONG = "0000000000000000000000000000000000000000";
    static final int WINDOW = 2;

    ChallengeVerifier verifier;
    StoredSession session;
    SessionRecord warm;
    SessionRecord moving;
    long movingNow = NOW;
    Challenge challenge;
    JdkChallenge jdk;
    byte[] wrongBytes;

    @Setup
    public void setup() throws Exception {
        verifier = new ChallengeVerifier(WINDOW);
        session = new StoredSession("0".repeat(64), "1".repeat(64), PRIVATE_HASH, SECRET, NOW, NOW + 600, NOW,
                new ClientInfo("Linux", "bench", "1.0.0"), "127.0.0.1");
        warm = new SessionRecord(session, NOW + 4200);
        moving = new SessionRecord(session, NOW + 4200);
        if (!verifier.verify(warm, RIGHT, NOW) || verifier.verify(warm, WRONG, NOW)) {
            throw new IllegalStateException("test vector does not verify");
        }
        challenge = new Challenge(SECRET, PRIVATE_HASH);
        jdk = new JdkChallenge(SECRET, PRIVATE_HASH);
        wrongBytes = WRONG.getBytes(StandardCharsets.US_ASCII);
        if (!jdk.verify(RIGHT.getBytes(StandardCharsets.US_ASCII), NOW, WINDOW) || jdk.verify(wrongBytes, NOW, WINDOW)) {
            throw new IllegalStateException("test vector does not verify with the JDK primitives");
        }
    }

    /** A session.get within a step: the record carries the window's answers; five comparisons. */
    @Benchmark
    public boolean verifyWithinStepWrongAnswer() {
        return verifier.verify(warm, WRONG, NOW);
    }

    /** The same with the right answer: the check takes the same path. */
    @Benchmark
    public boolean verifyWithinStepRightAnswer() {
        return verifier.verify(warm, RIGHT, NOW);
    }

    /** Every check one step later (or earlier) than the last: one new answer computed, four reused. */
    @Benchmark
    public boolean verifyStepMovedOn() {
        movingNow = movingNow == NOW ? NOW + Challenge.STEP_SECONDS : NOW;
        return verifier.verify(moving, WRONG, movingNow);
    }

    /** Worst case: a record never checked before (a store without memory of answers); all five computed. */
    @Benchmark
    public boolean verifyNewRecordWrongAnswer() {
        return verifier.verify(new SessionRecord(session, NOW + 4200), WRONG, NOW);
    }

    /** For comparison: all five steps on the JDK's HmacSHA1 and SHA-1 (not what the product uses). */
    @Benchmark
    public boolean jdkVerifyWrongAnswerWindow2() {
        return jdk.verify(wrongBytes, NOW, WINDOW);
    }

    /** Building the challenge from the Base32 secret, as a window's first computation does. */
    @Benchmark
    public Challenge newChallenge() {
        return new Challenge(SECRET, PRIVATE_HASH);
    }

    /** One step's answer: HMAC-SHA1, truncation, SHA-1, hex. */
    @Benchmark
    public byte[] answerOneStep() {
        return challenge.answerBytes(Challenge.counterAt(NOW));
    }
}
