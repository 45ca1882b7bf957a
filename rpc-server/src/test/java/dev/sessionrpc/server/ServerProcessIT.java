package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
 * it with status 0 after its last log line is written (the console appender is asynchronous).
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

    @Test
    void theJarServesAndSigtermEndsItWithZeroAfterItsLastLogLine() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+ExitOnOutOfMemoryError", "-Xmx128m", "-jar", JAR.toString(), "--port", "0", "--host", "127.0.0.1")
                .redirectErrorStream(true)
                .start();
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
        assertThat(lines.get(lines.size() - 1)).as("the last line").endsWith(" stopped");
    }
}
