package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags that are read into the config, and the one-line refusal of a bad value. */
class ServerCommandTest {

    private static ServerCommand parse(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void allowedOriginsAreReadCommaSeparated() {
        ServerConfig config = parse("--allowed-origins", "https://app.example,http://127.0.0.1:8000").toConfig();
        assertThat(config.allowedOrigins()).containsExactly("https://app.example", "http://127.0.0.1:8000");
    }

    @Test
    void noBrowserOriginIsAllowedByDefault() {
        assertThat(parse().toConfig().allowedOrigins()).isEqualTo(ServerConfig.DEFAULT_ALLOWED_ORIGINS).isEmpty();
    }

    @Test
    void anEntryThatIsNoOriginIsRefusedInOneLineNamingTheFlag() {
        assertThatThrownBy(() -> parse("--allowed-origins", "https://app.example/,*").toConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--allowed-origins: ")
                .hasMessageContaining("'https://app.example/'")
                .hasMessageNotContaining("\n");
    }
}
