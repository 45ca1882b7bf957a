package dev.sessionrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.client.testing.ConsumerClasspath;
import dev.sessionrpc.client.testing.TestServer;
import dev.sessionrpc.server.testing.RepoFiles;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK example of the READMEs, run as a reader runs it: the {@code java} block of the SDK
 * section, verbatim but for the server's port, in a class with the imports the section names,
 * compiled and run in JVMs of their own against a real server. On the classpath a Maven project
 * depending on rpc-client gets, it prints its one line (SLF4J, finding no backend, says so on
 * standard error and nothing else is logged), and a second run resumes the stored session. With
 * the CLI jar on the classpath instead, which bundles logback, it prints its line and nothing else,
 * unless the application brings a logback configuration of its own.
 */
class ReadmeExampleIT {

    /** The address the README's server command listens on; each run uses the test server's. */
    private static final String README_URL = "ws://127.0.0.1:8080/rpc";
    private static final String ROOT_README = "README.md";
    private static final String SDK_README = "rpc-client/README.md";
    private static final Path CLI_JAR = Path.of("target", "rpc-client.jar");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)\n```", Pattern.DOTALL);
    private static final Pattern IMPORTS = Pattern.compile("\\(Imports: (.*?)\\.\\)", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("`([\\w.*]+)`");
    private static final Pattern PRINTED = Pattern.compile("([0-9a-f]{64}) expires at \\d+");

    @TempDir
    Path dir;

    @Test
    void onTheClasspathOfAMavenConsumerItPrintsOneLineAndASecondRunResumesTheSession() throws Exception {
        List<Path> classpath = ConsumerClasspath.read();
        assertThat(classpath).as("slf4j-api is the SDK's logging API").anyMatch(p -> p.getFileName().toString().startsWith("slf4j-api-"));
        assertThat(ConsumerClasspath.loggingBackendEntries(classpath))
                .as("a logging backend reaches projects that depend on rpc-client: make it <optional>")
                .isEmpty();
        try (TestServer server = TestServer.start()) {
            Path classes = compile(server, classpath);

            Run first = run(classes, classpath, "first");
            Run second = run(classes, classpath, "second");

            assertThat(first.out()).as(first.toString()).singleElement().asString().matches(PRINTED);
            assertThat(second.out()).as(second.toString()).singleElement().asString().matches(PRINTED);
            assertThat(sessionId(second)).as("the stored session, resumed").isEqualTo(sessionId(first));
            assertThat(server.requests("session.create", "ok")).isEqualTo(1);
            assertThat(first.err()).as("only SLF4J's notice that it found no backend").allMatch(l -> l.startsWith("SLF4J"));
            assertThat(second.err()).as("only SLF4J's notice that it found no backend").allMatch(l -> l.startsWith("SLF4J"));
        }
    }

    @Test
    void withTheCliJarOnTheClasspathItPrintsItsLineAndNoLog() throws Exception {
        assertThat(CLI_JAR).as("built by the package phase").exists();
        List<Path> classpath = List.of(CLI_JAR);
        try (TestServer server = TestServer.start()) {
            Run run = run(compile(server, classpath), classpath, "cli-jar");

            assertThat(run.out()).as(run.toString()).singleElement().asString().matches(PRINTED);
            assertThat(run.err()).as(run.toString()).isEmpty();
        }
    }

    @Test
    void anApplicationsOwnLogbackConfigurationWinsOverTheCliJars() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>APP %level %logger%nopex%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<Path> classpath = List.of(config, CLI_JAR);
        try (TestServer server = TestServer.start()) {
            Run run = run(compile(server, classpath), classpath, "app-config");

            assertThat(run.out()).as(run.toString()).anyMatch(l -> l.startsWith("APP DEBUG io.netty."));
            assertThat(run.out()).as(run.toString()).filteredOn(l -> !l.startsWith("APP "))
                    .singleElement().asString().matches(PRINTED);
        }
    }

    /** The README's example as a class: its imports, its block run by {@code main}, the test server's address. */
    private Path compile(TestServer server, List<Path> classpath) throws IOException {
        Example root = example(ROOT_README, "## Java SDK and command line");
        Example sdk = example(SDK_README, "## SDK\n");
        assertThat(root).as("the example of README.md and of rpc-client/README.md").isEqualTo(sdk);
        assertThat(sdk.code()).as("the example connects to the README's server").contains(README_URL);

        Path source = Files.createDirectories(dir.resolve("src")).resolve("ReadmeExample.java");
        Files.writeString(source, sdk.imports().stream().map(i -> "import " + i + ";\n").collect(Collectors.joining())
                + "\npublic class ReadmeExample {\n    public static void main(String[] args) throws Exception {\n"
                + sdk.code().replace(README_URL, server.wsUri().toString())
                + "\n    }\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, "--release", "17", "-d", classes.toString(),
                "-cp", join(classpath), source.toString());
        assertThat(status).as("javac %s:%n%s", source, errors.toString(StandardCharsets.UTF_8)).isZero();
        return classes;
    }

    /** The first {@code java} block after {@code heading} and the names of its "(Imports: …)" line. */
    private static Example example(String readme, String heading) throws IOException {
        String text = RepoFiles.read(readme);
        int start = text.indexOf(heading);
        assertThat(start).as("'%s' in %s", heading.strip(), readme).isNotNegative();
        int end = text.indexOf("\n## ", start + heading.length());
        String section = text.substring(start, end < 0 ? text.length() : end);
        Matcher block = JAVA_BLOCK.matcher(section);
        Matcher imports = IMPORTS.matcher(section);
        assertThat(block.find()).as("a java block in %s's SDK section", readme).isTrue();
        assertThat(imports.find()).as("an (Imports: …) line in %s's SDK section", readme).isTrue();
        List<String> names = new ArrayList<>();
        for (Matcher name = NAME.matcher(imports.group(1)); name.find(); ) {
            names.add(name.group(1));
        }
        return new Example(block.group(1), names);
    }

    /** Runs the example in a JVM of its own, with a home directory of this test's, so that its session file is ours. */
    private Run run(Path classes, List<Path> classpath, String name) throws IOException, InterruptedException {
        List<Path> full = new ArrayList<>(List.of(classes));
        full.addAll(classpath);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + dir.resolve("home"), "-cp", join(full), "ReadmeExample")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // these would make the JVM print a line of its own on standard error
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the example did not end; it printed " + Files.readString(out) + Files.readString(err));
        }
        Run run = new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
        assertThat(run.status()).as(run.toString()).isZero();
        return run;
    }

    private static String sessionId(Run run) {
        Matcher m = PRINTED.matcher(run.out().get(0));
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }

    private static String join(List<Path> classpath) {
        return classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** The example's code and the imports its README names. */
    private record Example(String code, List<String> imports) {
    }

    /** One run of the example: its exit status and the lines it printed. */
    private record Run(int status, List<String> out, List<String> err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- out ---\n" + String.join("\n", out) + "\n--- err ---\n" + String.join("\n", err);
        }
    }
}
