package dev.sessionrpc.client.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sessionrpc.client.testing.TestServer;
import dev.sessionrpc.server.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import dev.sessionrpc.client.cli.RpcClientCommand;

class ConformanceIT {

    private record Run(int exitCode, String out) {
        List<String> lines() {
            return Arrays.asList(out.strip().split("\\R"));
        }
    }

    private static Run conformance(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = RpcClientCommand.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        String[] all = new String[args.length + 1];
        all[0] = "conformance";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Run(cli.execute(all), out.toString());
    }

    @Test
    void thisServerPassesTheWholeSuiteOverWebSocketAndHttp() {
        try (TestServer server = TestServer.start()) {
            Run run = conformance("--url", server.wsUri().toString(), "--http-url", server.httpUri().toString(),
                    "--quiet-ms", "200", "--timeout-ms", "15000");

            List<String> lines = run.lines();
            assertThat(lines.subList(0, lines.size() - 1)).as(run.out()).allMatch(l -> l.startsWith("PASS ["));
            assertThat(lines).as(run.out())
                    .anyMatch(l -> l.startsWith("PASS [ws] jsonrpc: text that is not JSON gets -32700"))
                    .anyMatch(l -> l.startsWith("PASS [http] protocol: a body over 1048576 bytes gets HTTP 413"))
                    .anyMatch(l -> l.startsWith("PASS [ws] protocol: a message over 1048576 bytes closes the WebSocket with 1009"))
                    .anyMatch(l -> l.startsWith("PASS [ws] session: session.get with a computed answer returns the Session"))
                    .anyMatch(l -> l.startsWith("PASS [http] session: 6. session.get with a wrong challenge answer"));
            assertThat(lines.get(lines.size() - 1)).isEqualTo((lines.size() - 1) + " passed, 0 failed");
            assertThat(run.exitCode()).as(run.out()).isZero();
        }
    }

    @Test
    void aTlsServerPassesTheWholeSuiteOverWssAndHttpsTrustingItsCaFile(@TempDir Path dir) {
        TestCertificates ca = TestCertificates.authority();
        Path[] files = ca.issue("127.0.0.1").write(dir, "server");
        try (TestServer server = TestServer.startTls(files[0], files[1])) {
            Run run = conformance("--url", server.wssUri().toString(), "--http-url", server.httpsUri().toString(),
                    "--ca-file", ca.write(dir.resolve("ca.pem")).toString(), "--quiet-ms", "200", "--timeout-ms", "15000");

            List<String> lines = run.lines();
            assertThat(lines.subList(0, lines.size() - 1)).as(run.out()).allMatch(l -> l.startsWith("PASS ["));
            assertThat(lines).as(run.out())
                    .anyMatch(l -> l.startsWith("PASS [ws] session: session.get with a computed answer returns the Session"))
                    .anyMatch(l -> l.startsWith("PASS [http] session: 6. session.get with a wrong challenge answer"));
            assertThat(lines.get(lines.size() - 1)).isEqualTo((lines.size() - 1) + " passed, 0 failed");
            assertThat(run.exitCode()).as(run.out()).isZero();
        }
    }

    @Test
    void theJsonRpcPartRunsAgainstWhicheverMethodItIsTold() {
        try (TestServer server = TestServer.start()) {
            Run run = conformance("--url", server.wsUri().toString(), "--only", "jsonrpc",
                    "--echo-method", "test.echo", "--params", "{\"x\":1}", "--quiet-ms", "200", "--timeout-ms", "15000");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out()).doesNotContain("session:").doesNotContain("protocol:").contains(" passed, 0 failed");
        }
    }

    @Test
    void aServerThatAnswersEverythingTheSameWayFailsWithReadableLines() throws IOException {
        HttpServer liar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        liar.createContext("/rpc", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"jsonrpc\":\"2.0\",\"result\":\"ok\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        liar.start();
        try {
            Run run = conformance("--http-url", "http://127.0.0.1:" + liar.getAddress().getPort() + "/rpc", "--only", "jsonrpc");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("FAIL [http] jsonrpc: text that is not JSON gets -32700 with id null: "
                    + "expected error -32700 with id null, got no error object: {\"jsonrpc\":\"2.0\",\"result\":\"ok\",\"id\":1}");
            assertThat(run.out()).contains("FAIL [http] jsonrpc: a notification gets no reply: expected no reply, got {\"jsonrpc\"");
            assertThat(run.out()).contains("FAIL [http] jsonrpc: id 1.5 comes back as the same number: "
                    + "expected a reply with id 1.5 exactly as sent, got id 1:");
            assertThat(run.lines().get(run.lines().size() - 1)).matches("\\d+ passed, [1-9]\\d* failed");
        } finally {
            liar.stop(0);
        }
    }
}
