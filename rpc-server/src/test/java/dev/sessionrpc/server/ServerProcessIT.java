package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar as the README starts it, in a process of its own: it serves, and SIGTERM ends
 * it with status 0 after its last log line is written (the console appender is asynchronous); a
 * start that cannot succeed says why in one line naming the flag, with status 2 for a usage error
 * and 1 for anything else.
 */
class ServerProcessIT {

    private static final Path JAR = Path.of("target", "rpc-server.jar");
    private static final Pattern SERVING = Pattern.compile("serving JSON-RPC on [^ ]+:(\\d+) ");

    private Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private static ProcessBuilder jar(String... args) {
        assertThat(JAR).as("built by the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+ExitOnOutOfMemoryError", "-Xmx128m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** Runs the jar to its end; its output lines. */
    private List<String> runToEnd(ProcessBuilder builder) throws Exception {
        process = builder.start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("ended").isTrue();
        return lines;
    }

    @Test
    void aPortInUseIsOneLineNamingTheFlagAndEndsWithOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> lines = runToEnd(jar("--port", String.valueOf(taken.getLocalPort()), "--host", "127.0.0.1"));
            assertThat(process.exitValue()).as("exit status; output %s", lines).isEqualTo(1);
            assertThat(lines).as("no stack trace").noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
            assertThat(lines).last().asString().endsWith("rpc-server did not start: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use (--port, RPC_PORT)");
        }
    }

    @Test
    void anUnreadableEnvironmentValueIsOneLineNamingTheVariableAndEndsWithTwo() throws Exception {
        ProcessBuilder builder = jar();
        builder.environment().put("RPC_PORT", "abc");
        List<String> lines = runToEnd(builder);
        assertThat(process.exitValue()).as("exit status; output %s", lines).isEqualTo(2);
        assertThat(lines).containsExactly("rpc-server: RPC_PORT=abc is not a port (it sets --port); see rpc-server --help");
    }

    @Test
    void aValueOutOfRangeIsOneLineNamingTheFlagAndItsVariableAndEndsWithTwo() throws Exception {
        List<String> lines = runToEnd(jar("--session-ttl", "0"));
        assertThat(process.exitValue()).as("exit status; output %s", lines).isEqualTo(2);
        assertThat(lines).containsExactly("rpc-server: --session-ttl (RPC_SESSION_TTL) must be at least 1 s, was 0 s");
    }

    @Test
    void theJarServesAndSigtermEndsItWithZeroAfterItsLastLogLine() throws Exception {
        List<String> lines = serveThenTerminate();
        assertThat(lines.get(lines.size() - 1)).as("the last line").endsWith(" stopped");
    }

    @Test
    void withJsonLogsEveryLineIsOneJsonObjectWithLevelLoggerAndMessage() throws Exception {
        List<String> lines = serveThenTerminate("--log-format", "json");
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode fields = json.readTree(line);
            assertThat(fields.isObject()).as(line).isTrue();
            assertThat(fields.path("level").asText()).as(line).isNotEmpty();
            assertThat(fields.path("loggerName").asText()).as(line).startsWith("dev.sessionrpc");
        }
        assertThat(json.readTree(lines.get(lines.size() - 1)).path("formattedMessage").asText()).isEqualTo("stopped");
    }

    /** Starts the jar on a free port, checks it answers /health, sends SIGTERM; its lines, after it ended with 0. */
    private List<String> serveThenTerminate(String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--host", "127.0.0.1"));
        args.addAll(List.of(extraArgs));
        process = jar(args.toArray(String[]::new)).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        int port = -1;
        for (String line = out.readLine(); line != null && port < 0; line = port < 0 ? out.readLine() : null) {
            lines.add(line);
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        assertThat(port).as("the startup line in %s", lines).isPositive();

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");

        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("ended").isTrue();
        assertThat(process.exitValue()).as("exit status; output %s", lines).isZero();
        return lines;
    }
}
