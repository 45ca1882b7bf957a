package dev.sessionrpc.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AnswerCommandTest {

    private static final String PRIVATE_HASH = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final String CHALLENGE = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";

    @ParameterizedTest(name = "at {0} the answer is {1}")
    @CsvSource({
            "59, ff9de30a5c59034ccddf8efbdb124fcd7a5475ec",
            "1111111109, b0b245f80fae8b928bc4bde3beaf30070ed17242",
            "1627489650, dfbc72798b41977d340584dd4afc8e085d3d824d",
            "1630373361, 4fa977477afed6ac8a8f3ee92e1ed3d0d06bcdbf",
            "2000000000, 6247b3e09321f07f825c77fbf1350a3c15f7933a"})
    void printsTheProtocolsTestVectorAnswers(long at, String answer) {
        CliRun run = CliRun.of("answer", "--challenge", CHALLENGE, "--private-hash", PRIVATE_HASH, "--at", Long.toString(at));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().strip()).isEqualTo(answer);
    }

    @Test
    void withSessionIdAndPublicHashPrintsTheWholeIdentification() {
        CliRun run = CliRun.of("answer", "--challenge", CHALLENGE, "--private-hash", PRIVATE_HASH, "--at", "59",
                "--session-id", "s1", "--public-hash", "p1");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().strip()).isEqualTo(
                "{\"session_id\":\"s1\",\"client_public_hash\":\"p1\",\"challenge_answer\":\"ff9de30a5c59034ccddf8efbdb124fcd7a5475ec\"}");
    }

    @Test
    void aChallengeThatIsNotBase32IsAUsageError() {
        CliRun run = CliRun.of("answer", "--challenge", "not base32!", "--private-hash", PRIVATE_HASH);
        assertThat(run.exitCode()).isEqualTo(RpcClientCommand.EXIT_USAGE);
        assertThat(run.err()).contains("Base32");
    }
}
