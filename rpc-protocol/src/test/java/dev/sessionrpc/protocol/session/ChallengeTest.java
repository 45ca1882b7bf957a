package dev.sessionrpc.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    private static final String PRIVATE_HASH = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    private static final String SECRET = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";

    private final Challenge challenge = new Challenge(SECRET, PRIVATE_HASH);

    @ParameterizedTest(name = "at {0}: counter {1}, totp {2}")
    @CsvSource({
        "59, 1, 309706, ff9de30a5c59034ccddf8efbdb124fcd7a5475ec",
        "1111111109, 37037036, 177812, b0b245f80fae8b928bc4bde3beaf30070ed17242",
        "1627489650, 54249655, 416707, dfbc72798b41977d340584dd4afc8e085d3d824d",
        "1630373361, 54345778, 313662, 4fa977477afed6ac8a8f3ee92e1ed3d0d06bcdbf",
        "2000000000, 66666666, 859205, 6247b3e09321f07f825c77fbf1350a3c15f7933a",
    })
    void protocolTestVectorsHold(long unixTime, long counter, String totp, String answer) {
        assertThat(Challenge.counterAt(unixTime)).isEqualTo(counter);
        assertThat(challenge.totp(counter)).isEqualTo(totp);
        assertThat(challenge.answerAt(unixTime)).isEqualTo(answer);
    }

    @Test
    void totpIsLeftPaddedToSixDigits() {
        boolean sawLeadingZero = false;
        for (long c = 0; c < 200; c++) {
            String totp = challenge.totp(c);
            assertThat(totp).hasSize(6).containsOnlyDigits();
            sawLeadingZero |= totp.charAt(0) == '0';
        }
        assertThat(sawLeadingZero).as("some of 200 steps begin with 0").isTrue();
    }

    @Test
    void answerDigestsAreTheRawBytesOfConsecutiveAnswers() {
        byte[] digests = challenge.answerDigests(54_249_654L, 3);
        assertThat(digests).hasSize(3 * Challenge.DIGEST_LENGTH);
        for (int i = 0; i < 3; i++) {
            byte[] one = Arrays.copyOfRange(digests, i * Challenge.DIGEST_LENGTH, (i + 1) * Challenge.DIGEST_LENGTH);
            assertThat(HexFormat.of().formatHex(one)).as("step %d", i)
                    .isEqualTo(new String(challenge.answerBytes(54_249_654L + i), StandardCharsets.US_ASCII));
        }
        assertThat(HexFormat.of().formatHex(digests, Challenge.DIGEST_LENGTH, 2 * Challenge.DIGEST_LENGTH))
                .isEqualTo("dfbc72798b41977d340584dd4afc8e085d3d824d");
    }

    @Test
    void base32RoundTripsWithoutPadding() {
        byte[] secret = Challenge.decodeBase32(SECRET);
        assertThat(secret).hasSize(40);
        assertThat(Challenge.encodeBase32(secret)).isEqualTo(SECRET);
        assertThat(Challenge.encodeBase32(new byte[] {1, 2, 3})).doesNotContain("=");
    }
}
