package dev.sessionrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.client.testing.TestServer;
import dev.sessionrpc.server.testing.TestCertificates;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK over {@code wss://}: a private CA on request, host names and validity always checked. */
class TlsClientIT {

    private static final TestCertificates CA = TestCertificates.authority();

    @TempDir
    Path dir;

    private TestServer serverWith(TestCertificates.Issued certificate) {
        Path[] files = certificate.write(dir, "server");
        return TestServer.startTls(files[0], files[1]);
    }

    private RpcClient.Builder client(URI uri) {
        return RpcClient.builder(uri).connectTimeout(Duration.ofSeconds(20)).handshakeTimeout(Duration.ofSeconds(20))
                .caFile(CA.write(dir.resolve("ca.pem")));
    }

    @Test
    void callsGoOverWssToAServerOfAPrivateCa() {
        try (TestServer server = serverWith(CA.issue("127.0.0.1"));
             RpcClient rpc = client(server.wssUri()).connect()) {
            JsonNode echoed = rpc.call("test.echo", Map.of("over", "tls")).join();

            assertThat(echoed.path("over").asText()).isEqualTo("tls");
        }
    }

    @Test
    void withoutTheCaFileTheJdkTrustStoreRefusesThePrivateCa() {
        try (TestServer server = serverWith(CA.issue("127.0.0.1"))) {
            Throwable failure = catchThrowable(() -> RpcClient.builder(server.wssUri()).connect().close());

            assertThat(failure).isInstanceOf(RpcTransportException.class);
            assertThat(causes(failure)).anyMatch(SSLHandshakeException.class::isInstance);
        }
    }

    @Test
    void anExpiredCertificateIsRefused() {
        Instant now = Instant.now();
        try (TestServer server = serverWith(CA.issue("EC", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)), "127.0.0.1"))) {
            Throwable failure = catchThrowable(() -> client(server.wssUri()).connect().close());

            assertThat(failure).isInstanceOf(RpcTransportException.class);
            assertThat(causes(failure)).anyMatch(CertificateExpiredException.class::isInstance);
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefused() {
        try (TestServer server = serverWith(CA.issue("rpc.example.org"))) {
            Throwable failure = catchThrowable(() -> client(server.wssUri()).connect().close());

            assertThat(failure).isInstanceOf(RpcTransportException.class);
            assertThat(causes(failure)).anyMatch(t -> String.valueOf(t.getMessage())
                    .contains("No subject alternative names matching IP address 127.0.0.1"));
        }
    }

    @Test
    void plainWsToATlsPortFailsFastNotAfterATimeout() {
        try (TestServer server = serverWith(CA.issue("127.0.0.1"))) {
            URI plain = URI.create("ws://127.0.0.1:" + server.port() + "/rpc");
            long started = System.nanoTime();

            Throwable failure = catchThrowable(() -> client(plain).connect().close());

            assertThat(failure).isInstanceOf(RpcTransportException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
        }
        return all;
    }
}
