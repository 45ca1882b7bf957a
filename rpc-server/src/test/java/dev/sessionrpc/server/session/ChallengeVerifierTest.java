package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChallengeVerifierTest {

    private static final String PRIVATE_HASH = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final String SECRET = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";
    private static final long NOW = 1_630_373_361L;
    private static final int WINDOW = 2;

    private final Challenge challenge = new Challenge(SECRET, PRIVATE_HASH);
    private final ChallengeVerifier verifier = new ChallengeVerifier(WINDOW);

    private static SessionRecord record() {
        StoredSession session = new StoredSession("0".repeat(64), "1".repeat(64), PRIVATE_HASH, SECRET, NOW, NOW + 600,
                NOW, new ClientInfo("Linux", "Test", "1.0.0"), "10.0.0.1");
        return new SessionRecord(session, NOW + 4200);
    }

    private String answerSteps(int steps) {
        return challenge.answerAt(NOW + steps * 30L);
    }

    @ParameterizedTest(name = "at {0}")
    @CsvSource({
        "59, ff9de30a5c59034ccddf8efbdb124fcd7a5475ec",
        "1111111109, b0b245f80fae8b928bc4bde3beaf30070ed17242",
        "1627489650, dfbc72798b41977d340584dd4afc8e085d3d824d",
        "2000000000, 6247b3e09321f07f825c77fbf1350a3c15f7933a",
    })
    void theProtocolTestVectorsVerifyAtTheirTime(long unixTime, String answer) {
        assertThat(verifier.verify(record(), answer, unixTime)).isTrue();
    }

    @Test
    void answersWithinTheWindowAreAcceptedAndOneStepBeyondIsRefused() {
        SessionRecord record = record();
        for (int step = -WINDOW; step <= WINDOW; step++) {
            assertThat(verifier.verify(record, answerSteps(step), NOW)).as("step %d", step).isTrue();
        }
        assertThat(verifier.verify(record, answerSteps(WINDOW + 1), NOW)).isFalse();
        assertThat(verifier.verify(record, answerSteps(-WINDOW - 1), NOW)).isFalse();
    }

    @Test
    void upperCaseAnswersAreAccepted() {
        assertThat(verifier.verify(record(), answerSteps(0).toUpperCase(), NOW)).isTrue();
    }

    @Test
    void malformedAnswersAreRefusedWithoutComputingAnything() {
        SessionRecord record = record();
        assertThat(verifier.verify(record, null, NOW)).isFalse();
        assertThat(verifier.verify(record, answerSteps(0).substring(1), NOW)).isFalse();
        assertThat(verifier.verify(record, "g" + answerSteps(0).substring(1), NOW)).isFalse();
        assertThat(verifier.answersComputed()).isZero();
    }

    @Test
    void aRecordSeenForTheFirstTimeCostsTheWholeWindowAndLaterChecksInTheStepCostNothing() {
        SessionRecord record = record();
        verifier.verify(record, answerSteps(0), NOW);
        assertThat(verifier.answersComputed()).isEqualTo(2 * WINDOW + 1);
        for (int i = 0; i < 10; i++) {
            verifier.verify(record, "0".repeat(40), NOW);
            verifier.verify(record, answerSteps(1), NOW + 29 - NOW % 30);
        }
        assertThat(verifier.answersComputed()).isEqualTo(2 * WINDOW + 1);
    }

    @Test
    void whenTheStepMovesByOneOnlyTheNewAnswerIsComputedEitherWay() {
        SessionRecord record = record();
        verifier.verify(record, answerSteps(0), NOW);
        long computed = verifier.answersComputed();
        assertThat(verifier.verify(record, answerSteps(WINDOW + 1), NOW + 30)).as("the new step's far edge").isTrue();
        assertThat(verifier.answersComputed()).isEqualTo(computed + 1);
        assertThat(verifier.verify(record, answerSteps(-WINDOW), NOW)).as("back again: the old edge").isTrue();
        assertThat(verifier.answersComputed()).isEqualTo(computed + 2);
        assertThat(verifier.verify(record, answerSteps(-WINDOW + 2), NOW + 60)).as("two steps on, reused").isTrue();
        assertThat(verifier.answersComputed()).isEqualTo(computed + 4);
    }

    @Test
    void aJumpPastTheWholeWindowComputesItAfresh() {
        SessionRecord record = record();
        verifier.verify(record, answerSteps(0), NOW);
        assertThat(verifier.verify(record, answerSteps(100), NOW + 100 * 30L)).isTrue();
        assertThat(verifier.verify(record, answerSteps(0), NOW + 100 * 30L)).isFalse();
        assertThat(verifier.answersComputed()).isEqualTo(2 * (2 * WINDOW + 1));
    }

    @Test
    void aWindowOfZeroAcceptsOnlyTheCurrentStep() {
        ChallengeVerifier strict = new ChallengeVerifier(0);
        SessionRecord record = record();
        assertThat(strict.verify(record, answerSteps(0), NOW)).isTrue();
        assertThat(strict.verify(record, answerSteps(1), NOW)).isFalse();
        assertThat(strict.verify(record, answerSteps(-1), NOW)).isFalse();
        assertThat(strict.answersComputed()).isEqualTo(1);
    }

    @Test
    void aVerifierWithAnotherWindowDoesNotTrustAnswersKeptForADifferentOne() {
        SessionRecord record = record();
        new ChallengeVerifier(0).verify(record, answerSteps(0), NOW);
        assertThat(verifier.verify(record, answerSteps(2), NOW)).isTrue();
    }
}
