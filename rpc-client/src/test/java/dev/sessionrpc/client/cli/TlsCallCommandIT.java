package dev.sessionrpc.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.client.testing.TestServer;
import dev.sessionrpc.server.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code call} against a TLS-only server: {@code --ca-file} for wss:// and https://, plain schemes refused fast. */
class TlsCallCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestCertificates CA = TestCertificates.authority();
    @TempDir
    static Path dir;
    private static TestServer server;
    private static String caFile;

    @BeforeAll
    static void start() {
        Path[] files = CA.issue("127.0.0.1").write(dir, "server");
        server = TestServer.startTls(files[0], files[1]);
        caFile = CA.write(dir.resolve("ca.pem")).toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void wssIsCalledTrustingTheCaFile() throws IOException {
        CliRun run = CliRun.of("call", "--url", server.wssUri().toString(), "--ca-file", caFile, "test.echo", "[\"wss\"]");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(JSON.readTree(run.out()).path("result").toString()).isEqualTo("[\"wss\"]");
    }

    @Test
    void httpsIsPostedTrustingTheCaFile() throws IOException {
        CliRun run = CliRun.of("call", "--url", server.httpsUri().toString(), "--ca-file", caFile, "test.echo", "[\"https\"]");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(JSON.readTree(run.out()).path("result").toString()).isEqualTo("[\"https\"]");
    }

    @Test
    void httpsWithoutTheCaFileIsATransportFailure() {
        CliRun run = CliRun.of("call", "--url", server.httpsUri().toString(), "test.echo");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(RpcClientCommand.EXIT_TRANSPORT);
        assertThat(run.err()).contains("transport failure").contains("SSLHandshakeException");
    }

    @Test
    void plainHttpToTheTlsPortFailsFastNotAfterATimeout() {
        long started = System.nanoTime();
        CliRun run = CliRun.of("call", "--url", "http://127.0.0.1:" + server.port() + "/rpc", "--timeout", "30", "test.echo");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(RpcClientCommand.EXIT_TRANSPORT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anUnreadableCaFileIsAUsageError() {
        CliRun run = CliRun.of("call", "--url", server.wssUri().toString(), "--ca-file", dir.resolve("none.pem").toString(),
                "test.echo");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(RpcClientCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--ca-file: CA file " + dir.resolve("none.pem") + ": cannot read it");
    }
}
