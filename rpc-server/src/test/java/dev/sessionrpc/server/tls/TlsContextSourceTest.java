package dev.sessionrpc.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sessionrpc.server.testing.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

class TlsContextSourceTest {

    private static final TestCertificates CA = TestCertificates.authority();

    @TempDir
    Path dir;
    private Path cert;
    private Path key;
    private TestCertificates.Issued first;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(TlsContextSource.class);

    @BeforeEach
    void writeFirstPair() {
        first = CA.issue("localhost", "127.0.0.1");
        Path[] files = first.write(dir, "server");
        cert = files[0];
        key = files[1];
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void detachLog() {
        logger.detachAppender(logged);
    }

    @Test
    void openSslLoadsWhereTheNativeLibraryIsShipped() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            assertThat(OpenSsl.isAvailable()).as("%s", OpenSsl.unavailabilityCause()).isTrue();
            assertThat(TlsContextSource.defaultProvider()).isEqualTo(SslProvider.OPENSSL);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aPairLoadsWithEitherProviderAndOffersOnlyTls13And12(SslProvider provider) {
        TlsContextSource source = TlsContextSource.load(cert, key, provider);

        assertThat(source.certificate().getSerialNumber()).isEqualTo(first.serial());
        assertThat(source.providerName()).startsWith(provider == SslProvider.JDK ? "JDK" : "OpenSSL");
        SslHandler handler = source.get().newHandler(ByteBufAllocator.DEFAULT);
        try {
            // Netty's OpenSSL engine lists SSLv2Hello, a hello format, whatever is enabled; BoringSSL never accepts it
            assertThat(handler.engine().getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello"))
                    .containsOnly("TLSv1.3", "TLSv1.2");
            assertThat(handler.engine().getEnabledCipherSuites()).isNotEmpty()
                    .allMatch(TlsContextSource.CIPHERS::contains);
            assertThat(handler.engine().getUseClientMode()).isFalse();
        } finally {
            ReferenceCountUtil.release(handler.engine());
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKeyFlag() {
        CA.issue("localhost").writeTo(dir.resolve("other.crt"), key);

        assertThatThrownBy(() -> TlsContextSource.load(cert, key, SslProvider.JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--tls-key " + key + ": the key does not belong to the certificate CN=localhost");
    }

    @Test
    void aMissingCertificateIsRefusedNamingTheCertificateFlag() {
        Path missing = dir.resolve("missing.crt");

        assertThatThrownBy(() -> TlsContextSource.load(missing, key, SslProvider.JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--tls-cert " + missing + ": cannot read the file")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aFileWithoutACertificateIsRefusedNamingTheCertificateFlag() throws IOException {
        Files.writeString(cert, "hello\n");

        assertThatThrownBy(() -> TlsContextSource.load(cert, key, SslProvider.JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--tls-cert " + cert + ":");
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedWithTheCommandThatConvertsIt() throws IOException {
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsContextSource.load(cert, key, SslProvider.JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--tls-key " + key + ": the key is not PKCS#8; convert it with: "
                        + "openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
    }

    @Test
    void anRsaPairLoadsToo() {
        Instant now = Instant.now();
        CA.issue("RSA", now.minusSeconds(60), now.plus(Duration.ofDays(1)), "localhost").writeTo(cert, key);

        assertThat(TlsContextSource.load(cert, key, SslProvider.JDK).certificate().getPublicKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void unchangedFilesKeepTheSameContext() {
        TlsContextSource source = TlsContextSource.load(cert, key, SslProvider.JDK);
        SslContext before = source.get();

        assertThat(source.reloadIfChanged()).isFalse();
        assertThat(source.get()).isSameAs(before);
    }

    @Test
    void aRenewedPairIsServedAfterTheNextCheck() throws IOException {
        TlsContextSource source = TlsContextSource.load(cert, key, SslProvider.JDK);
        TestCertificates.Issued renewed = CA.issue("localhost");
        renewed.writeTo(cert, key);
        moveModificationTimeForward(cert, key);

        assertThat(source.reloadIfChanged()).isTrue();
        assertThat(source.certificate().getSerialNumber()).isEqualTo(renewed.serial());
        assertThat(source.reloadIfChanged()).isFalse();
    }

    @Test
    void aBrokenRenewalKeepsTheOldPairAndSaysSoInOneLineUntilTheFilesChangeAgain() throws IOException {
        TlsContextSource source = TlsContextSource.load(cert, key, SslProvider.JDK);
        SslContext before = source.get();
        TestCertificates.Issued renewed = CA.issue("localhost");
        Files.writeString(cert, Files.readString(dir.resolve(renewed.write(dir, "renewed")[0])));
        moveModificationTimeForward(cert);

        assertThat(source.reloadIfChanged()).isFalse();
        assertThat(source.reloadIfChanged()).isFalse();
        assertThat(source.get()).isSameAs(before);
        List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage())
                .contains("still serving serial " + first.serial().toString(16))
                .contains("--tls-key " + key + ": the key does not belong to the certificate")
                .doesNotContain("\n");
        assertThat(warnings.get(0).getThrowableProxy()).isNull();

        renewed.writeTo(cert, key);
        moveModificationTimeForward(cert, key);
        assertThat(source.reloadIfChanged()).isTrue();
        assertThat(source.certificate().getSerialNumber()).isEqualTo(renewed.serial());
    }

    /** Writes within one clock tick could leave the time as it was; a renewal in real life is seconds apart. */
    private static void moveModificationTimeForward(Path... files) throws IOException {
        for (Path f : files) {
            Files.setLastModifiedTime(f, FileTime.from(Files.getLastModifiedTime(f).toInstant().plusSeconds(5)));
        }
    }
}
