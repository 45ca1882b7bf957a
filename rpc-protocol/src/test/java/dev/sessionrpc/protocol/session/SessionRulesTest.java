package dev.sessionrpc.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1.0.0", "2.1.0-beta.1", "1.0rc1", "1.0.0+build.5", "2!1.0", "1.0.post1",
        "1.0.dev3", "v1.2", "0.0.1-alpha", "10.20.30", "1.0a1"})
    void acceptsSemVerAndPep440Versions(String version) {
        assertThat(SessionRules.isVersion(version)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "one", "1.0.0-", "1..0", "1.0.0-beta..1", " 1.0", "1.0 ", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0", "latest"})
    void refusesOtherVersions(String version) {
        assertThat(SessionRules.isVersion(version)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Linux", "Windows 11", "Example Client", "macOS", "Ünïcødé", "a", "12345678901234567890123456789012"})
    void acceptsPlainLabels(String label) {
        assertThat(SessionRules.isLabel(label)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "123456789012345678901234567890123", "tab\there", "new\nline", "a-b", "a_b", "a'b",
        "a^b", "a£b", "a$b", "a%b", "a&b", "a*b", "a(b", "a)b", "a}b", "a{b", "a@b", "a#b", "a~b", "a?b", "a>b", "a<b",
        "a,b", "a|b", "a=b", "a+b", "a¬b", "zero\u200bwidth"})
    void refusesBlankLongControlAndForbiddenLabels(String label) {
        assertThat(SessionRules.isLabel(label)).isFalse();
    }

    @Test
    void labelLengthCountsCharactersNotBytes() {
        assertThat(SessionRules.isLabel("é".repeat(32))).isTrue();
        assertThat(SessionRules.isLabel("😀".repeat(32))).isTrue();
        assertThat(SessionRules.isLabel("😀".repeat(33))).isFalse();
    }

    @Test
    void hexChecksLengthAndAlphabetInEitherCase() {
        assertThat(SessionRules.isHex("aB09".repeat(16), 64)).isTrue();
        assertThat(SessionRules.isHex("aB09".repeat(16), 40)).isFalse();
        assertThat(SessionRules.isHex("g".repeat(64), 64)).isFalse();
        assertThat(SessionRules.isHex(null, 64)).isFalse();
    }
}
