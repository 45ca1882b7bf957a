package dev.sessionrpc.bench.jmh;

import dev.sessionrpc.protocol.session.Challenge;
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
 * The challenge check. The worst case is a wrong answer: every step of the window (2 either side,
 * 5 in all) is computed and compared, HMAC-SHA1 plus SHA-1 each. Uses the test vectors of
 * PROTOCOL.md section 4.
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

    Challenge challenge;
    JdkChallenge jdk;
    byte[] wrongBytes;

    @Setup
    public void setup() throws Exception {
        challenge = new Challenge(SECRET, PRIVATE_HASH);
        if (!challenge.verify(RIGHT, NOW, 2) || challenge.verify(WRONG, NOW, 2)) {
            throw new IllegalStateException("test vector does not verify");
        }
        jdk = new JdkChallenge(SECRET, PRIVATE_HASH);
        wrongBytes = WRONG.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (!jdk.verify(RIGHT.getBytes(java.nio.charset.StandardCharsets.US_ASCII), NOW, 2) || jdk.verify(wrongBytes, NOW, 2)) {
            throw new IllegalStateException("test vector does not verify with the JDK primitives");
        }
    }

    /** For comparison: the worst case on the JDK's HmacSHA1 and SHA-1 (not what the product uses). */
    @Benchmark
    public boolean jdkVerifyWrongAnswerWindow2() {
        return jdk.verify(wrongBytes, NOW, 2);
    }

    /** Worst case: wrong answer, all 5 steps of the window computed. */
    @Benchmark
    public boolean verifyWrongAnswerWindow2() {
        return challenge.verify(WRONG, NOW, 2);
    }

    /** A right answer (the current step); the check still computes every step. */
    @Benchmark
    public boolean verifyRightAnswerWindow2() {
        return challenge.verify(RIGHT, NOW, 2);
    }

    /** Building the challenge from the Base32 secret, as a store that keeps the text would per call. */
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
