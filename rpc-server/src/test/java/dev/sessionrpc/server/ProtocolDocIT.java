package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.server.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/PROTOCOL.md's code, run as a reader would run it: the shell walkthrough against a real
 * server (curl, openssl, coreutils), and the Node.js and Python answer functions on the doc's own
 * test vectors. The code is taken from the doc, so a doc that goes wrong fails here. A missing
 * tool skips its test, with the reason, unless {@code CI=true}, where it fails (.ci/run installs them).
 */
class ProtocolDocIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VECTOR_CHALLENGE = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";
    private static final String VECTOR_PRIVATE_HASH = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";

    private static String doc;
    private static RpcServer server;

    @BeforeAll
    static void start() throws IOException {
        doc = RepoFiles.read("docs/PROTOCOL.md");
        server = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void theShellWalkthroughCreatesASessionAndReadsItBack() throws Exception {
        requireTools("bash", "curl", "openssl", "base32", "od", "sed");
        String script = block("## A session from the shell", "bash");
        Result run = run(List.of("bash", "-euo", "pipefail", "-c", script), Map.of("PORT", String.valueOf(server.port())));
        assertThat(run.status).as("status; output %s", run.output).isZero();
        JsonNode reply = JSON.readTree(run.output);
        assertThat(reply.path("error").isMissingNode()).as("error in %s", reply).isTrue();
        assertThat(reply.path("id").asInt()).isEqualTo(2);
        assertThat(reply.path("result").path("id").asText()).matches("[0-9a-f]{64}");
        assertThat(reply.path("result").path("client").path("name").asText()).isEqualTo("Shell");
    }

    @Test
    void theNodeAnswerFunctionGivesTheTestVectors() throws Exception {
        requireTools("node");
        String code = block("In Node.js:", "js") + vectorCalls("console.log(answer(\"%s\", \"%s\", %s));");
        assertThat(answers(List.of("node", "-e", code))).isEqualTo(List.copyOf(vectors().values()));
    }

    @Test
    void thePythonAnswerFunctionGivesTheTestVectors() throws Exception {
        requireTools("python3");
        String code = block("In Python:", "python") + vectorCalls("print(answer(\"%s\", \"%s\", %s))");
        assertThat(answers(List.of("python3", "-c", code))).isEqualTo(List.copyOf(vectors().values()));
    }

    /** One line per test vector, {@code call} filled with the challenge, the private hash and the time. */
    private static String vectorCalls(String call) {
        StringBuilder calls = new StringBuilder("\n");
        for (String time : vectors().keySet()) {
            calls.append(String.format(call, VECTOR_CHALLENGE, VECTOR_PRIVATE_HASH, time)).append('\n');
        }
        return calls.toString();
    }

    /** The doc's table of test vectors: unix time to answer, in the doc's order. */
    private static Map<String, String> vectors() {
        Map<String, String> vectors = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\| (\\d+) \\| \\d+ \\| \\d{6} \\| ([0-9a-f]{40}) \\|").matcher(doc);
        while (m.find()) {
            vectors.put(m.group(1), m.group(2));
        }
        assertThat(vectors).as("test vectors in docs/PROTOCOL.md").hasSizeGreaterThanOrEqualTo(5);
        return vectors;
    }

    /** The first {@code ```lang} block after the heading or phrase {@code after}. */
    private static String block(String after, String lang) {
        int at = doc.indexOf(after);
        assertThat(at).as("'%s' in docs/PROTOCOL.md", after).isNotNegative();
        Matcher m = Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find(at)).as("a ```%s block after '%s'", lang, after).isTrue();
        return m.group(1);
    }

    private static List<String> answers(List<String> command) throws Exception {
        Result run = run(command, Map.of());
        assertThat(run.status).as("status; output %s", run.output).isZero();
        return run.output.lines().toList();
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ended", command.get(0)).isTrue();
        return new Result(process.exitValue(), output.strip());
    }

    /** Skips the test when a tool is missing, or fails it under {@code CI=true}, naming what is missing. */
    private static void requireTools(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true, but " + missing + " is not installed: .ci/run installs it, so the doc's code may not go untested");
        }
        assumeTrue(false, missing + " is not installed, so this part of docs/PROTOCOL.md is not run; "
                + "with CI=true its absence fails instead");
    }
}
