package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one line that says when the open-file limit makes the connection limit unreachable. */
class StartupChecksTest {

    @Test
    void aConnectionLimitThatFitsTheFileLimitSaysNothing() {
        assertThat(StartupChecks.fileLimitWarning(10_000, 65_536)).isEmpty();
        assertThat(StartupChecks.fileLimitWarning(1_000, 1_000 + StartupChecks.RESERVED_FILES)).isEmpty();
    }

    @Test
    void aConnectionLimitPastTheFileLimitIsNamedWithBothWaysOut() {
        assertThat(StartupChecks.fileLimitWarning(10_000, 1_024)).hasValueSatisfying(line -> assertThat(line)
                .contains("--max-connections 10000 cannot be reached")
                .contains("1024 files (ulimit -n)")
                .contains("raise the limit to 10064")
                .contains("lower --max-connections to 960")
                .doesNotContain("\n"));
    }
}
