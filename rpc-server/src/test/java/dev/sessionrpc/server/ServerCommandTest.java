package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sessionrpc.server.testing.RepoFiles;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags that are read into the config, their defaults and README rows, and the one-line refusal of a bad value. */
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

    @Test
    void everyFlagsDefaultComesFromItsEnvironmentVariable() {
        CommandLine raw = new CommandLine(new ServerCommand()).setInterpolateVariables(false);
        for (CommandLine.Model.OptionSpec option : raw.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            assertThat(option.defaultValue()).as(option.longestName())
                    .matches(Pattern.quote("${env:" + ServerCommand.environmentVariable(option.longestName())) + "(:-.*)?}");
        }
    }

    @Test
    void aValueThatCannotBeReadIsNamedAsTheOperatorGaveIt() {
        CommandLine cli = new CommandLine(new ServerCommand());
        CommandLine.ParameterException typed = assertThrows(CommandLine.ParameterException.class,
                () -> cli.parseArgs("--port", "x"));
        assertThat(ServerCommand.unreadableValue(typed, List.of("--port", "x"), Map.of("RPC_PORT", "9000")))
                .isEqualTo("--port x is not a port (RPC_PORT sets it too)");
        CommandLine.ParameterException fromEnvironment = new CommandLine.ParameterException(cli, "not an int",
                cli.getCommandSpec().findOption("--session-ttl"), "ten");
        assertThat(ServerCommand.unreadableValue(fromEnvironment, List.of(), Map.of("RPC_SESSION_TTL", "ten")))
                .isEqualTo("RPC_SESSION_TTL=ten is not a whole number (it sets --session-ttl)");
    }

    @Test
    void aConfigValueOutOfRangeNamesItsFlagAndEnvironmentVariable() {
        assertThatThrownBy(() -> ServerConfig.builder().maxInFlightPerConnection(0).build())
                .hasMessage("--max-in-flight (RPC_MAX_IN_FLIGHT) must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> ServerConfig.builder().requestTimeout(Duration.ZERO).build())
                .hasMessage("--request-timeout (RPC_REQUEST_TIMEOUT) must be at least 1 s, was 0 s");
    }

    @Test
    void withoutFlagsEverySettingIsTheConfigsOwnDefault() throws Exception {
        ServerConfig parsed = parse().toConfig();
        ServerConfig defaults = ServerConfig.builder().build();
        for (Method getter : ServerConfig.class.getMethods()) {
            if (getter.getParameterCount() == 0 && getter.getDeclaringClass() == ServerConfig.class
                    && !Modifier.isStatic(getter.getModifiers()) && !getter.getName().equals("toBuilder")) {
                assertThat(getter.invoke(parsed)).as(getter.getName()).isEqualTo(getter.invoke(defaults));
            }
        }
    }

    @Test
    void everyFlagIsInTheReadmeTableWithItsEnvironmentVariable() throws IOException {
        String readme = RepoFiles.read("README.md");
        for (CommandLine.Model.OptionSpec option : new CommandLine(new ServerCommand()).getCommandSpec().options()) {
            String name = option.longestName();
            if (name.equals("--help") || name.equals("--version")) {
                continue;
            }
            String env = "RPC_" + name.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
            String shown = option.negatable() ? "--[no-]" + name.substring(2) : name;
            assertThat(readme).as("README row of %s", name).containsPattern("\\| `" + Pattern.quote(shown) + "` \\| `" + env + "` \\|");
        }
    }

    @Test
    void theAuthorizedSessionTtlHasAFlag() {
        assertThat(parse("--authorized-session-ttl", "3600").toConfig().authorizedSessionTtl()).isEqualTo(Duration.ofHours(1));
    }
}
