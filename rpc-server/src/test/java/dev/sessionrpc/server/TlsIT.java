package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionrpc.server.testing.TestCertificates;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PROTOCOL.md §1's TLS row on a real socket: one port, TLS only, with either TLS provider. */
class TlsIT {

    private static final TestCertificates CA = TestCertificates.authority();

    @TempDir
    Path dir;

    private RpcServer start(SslProvider provider, UnaryOperator<ServerConfig.Builder> settings) {
        Path[] files = CA.issue("localhost", "127.0.0.1").write(dir, "server");
        ServerConfig config = settings.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .shutdownTimeout(Duration.ofMillis(200)).tls(files[0], files[1])).build();
        return RpcServer.builder(config).tlsProvider(provider).tlsReloadInterval(Duration.ofMillis(20)).start();
    }

    private SSLSocket connect(RpcServer server, String... applicationProtocols) throws IOException {
        SSLSocket socket = (SSLSocket) CA.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setApplicationProtocols(applicationProtocols);
        socket.setSSLParameters(params);
        return socket;
    }

    private BigInteger servedSerial(RpcServer server) throws IOException {
        try (SSLSocket socket = connect(server)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void healthMetricsAndPostAreServedOverHttpsWithEitherProvider(SslProvider provider) throws Exception {
        try (RpcServer server = start(provider, b -> b)) {
            HttpClient https = HttpClient.newBuilder().sslContext(CA.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://localhost:" + server.port();

            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metrics = https.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> rpc = https.send(HttpRequest.newBuilder(URI.create(base + "/rpc"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"help.get_server_information\",\"id\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("rpc_connections_open");
            assertThat(rpc.statusCode()).isEqualTo(200);
            assertThat(rpc.body()).contains("\"network_name\":\"Socialvoid\"").contains("\"id\":1");
            assertThat(server.tls().provider()).isEqualTo(provider);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void tls13IsNegotiatedWithAlpnHttp11(SslProvider provider) throws IOException {
        try (RpcServer server = start(provider, b -> b); SSLSocket socket = connect(server, "h2", "http/1.1")) {
            socket.startHandshake();

            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void tls12IsServedWithAeadSuitesOnlyNotWithCbc(SslProvider provider) throws IOException {
        try (RpcServer server = start(provider, b -> b)) {
            try (SSLSocket gcm = connect(server)) {
                gcm.setEnabledProtocols(new String[] {"TLSv1.2"});
                gcm.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
                gcm.startHandshake();
                assertThat(gcm.getSession().getProtocol()).isEqualTo("TLSv1.2");
            }
            try (SSLSocket cbc = connect(server)) {
                cbc.setEnabledProtocols(new String[] {"TLSv1.2"});
                cbc.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
                assertThatThrownBy(cbc::startHandshake).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void plainHttpToTheTlsPortIsClosedAtOnceWithoutAReply(SslProvider provider) throws IOException {
        // a handshake timeout far beyond the bound below: the close must come from the refusal, not the timer
        try (RpcServer server = start(provider, b -> b.handshakeTimeout(Duration.ofSeconds(60)));
             Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            plain.setSoTimeout(5_000);
            long started = System.nanoTime();
            plain.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(readToEnd(plain.getInputStream())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aClientThatStopsHalfwayThroughTheHandshakeIsClosedAfterTheHandshakeTimeout() throws IOException {
        try (RpcServer server = start(SslProvider.OPENSSL, b -> b.handshakeTimeout(Duration.ofMillis(300)));
             Socket stalled = new Socket()) {
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            stalled.setSoTimeout(10_000);
            long started = System.nanoTime();
            // the header of a handshake record promising 512 bytes, then nothing
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});

            assertThat(readToEnd(stalled.getInputStream())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aRenewedCertificateIsServedToTheNextConnection(SslProvider provider) throws Exception {
        try (RpcServer server = start(provider, b -> b)) {
            BigInteger before = servedSerial(server);
            TestCertificates.Issued renewed = CA.issue("localhost", "127.0.0.1");
            renewed.writeTo(server.config().tlsCert(), server.config().tlsKey());
            moveModificationTimeForward(server.config().tlsCert(), server.config().tlsKey());

            BigInteger served = before;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!served.equals(renewed.serial()) && System.nanoTime() < deadline) {
                served = servedSerial(server);
            }
            assertThat(served).isNotEqualTo(before).isEqualTo(renewed.serial());
        }
    }

    @Test
    void aBrokenRenewalLeavesTheOldCertificateServed() throws Exception {
        try (RpcServer server = start(SslProvider.OPENSSL, b -> b)) {
            BigInteger before = servedSerial(server);
            Files.writeString(server.config().tlsKey(), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
            moveModificationTimeForward(server.config().tlsKey());

            // the check has run once this returns (here or on the server's own schedule): the old pair stays
            assertThat(server.tls().reloadIfChanged()).isFalse();
            assertThat(servedSerial(server)).isEqualTo(before);
        }
    }

    @Test
    void aKeyWithoutItsCertificateIsRefusedAtStartupNamingTheFlag() {
        ServerCommand command = new ServerCommand();
        new picocli.CommandLine(command).parseArgs("--tls-key", dir.resolve("server.key").toString());

        assertThatThrownBy(command::toConfig).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--tls-key needs --tls-cert (the certificate chain that goes with the key)");
    }

    @Test
    void aCertificateWhoseKeyDoesNotMatchIsRefusedAtStartupNamingTheKeyFlag() {
        Path[] served = CA.issue("localhost").write(dir, "a");
        Path[] other = CA.issue("localhost").write(dir, "b");
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).tls(served[0], other[1]).build();

        assertThatThrownBy(() -> RpcServer.builder(config).start()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--tls-key " + other[1] + ": the key does not belong to the certificate");
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (java.net.SocketException reset) {
            return new byte[0]; // closed with a reset: as refused as an orderly close
        }
    }

    private static void moveModificationTimeForward(Path... files) throws IOException {
        for (Path f : files) {
            Files.setLastModifiedTime(f, FileTime.from(Files.getLastModifiedTime(f).toInstant().plusSeconds(5)));
        }
    }
}
