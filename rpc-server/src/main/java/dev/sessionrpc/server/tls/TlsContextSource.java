package dev.sessionrpc.server.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS settings for the next connection, reloaded when the certificate or key file
 * changes so that a renewed certificate needs no restart. One {@link SslContext} per pair is held
 * and handed to every new connection; a new pair replaces it only when it loads and its key
 * matches its certificate, so a half-written or broken renewal leaves the server serving the old
 * pair (and says why, once per change of the files). TLS 1.3 and 1.2 with AEAD suites only, ALPN
 * {@code http/1.1}; OpenSSL (BoringSSL) where it loads, the JDK otherwise.
 */
public final class TlsContextSource implements Supplier<SslContext> {

    private static final Logger log = LoggerFactory.getLogger(TlsContextSource.class);

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** TLS 1.3's suites, then TLS 1.2's with forward secrecy and AEAD (no CBC, no RSA key exchange). */
    public static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final Path certFile;
    private final Path keyFile;
    private final SslProvider provider;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    /** The files as last seen, loaded or refused: a refused pair is reported once, not every check. */
    private volatile FileStamp seen;

    private record Loaded(SslContext context, X509Certificate certificate) {
    }

    /** Modification time and size of both files; null and -1 where a file cannot be read. */
    private record FileStamp(FileTime certModified, long certSize, FileTime keyModified, long keySize) {
        static FileStamp of(Path cert, Path key) {
            return new FileStamp(modified(cert), size(cert), modified(key), size(key));
        }

        private static FileTime modified(Path p) {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                return null;
            }
        }

        private static long size(Path p) {
            try {
                return Files.size(p);
            } catch (IOException e) {
                return -1;
            }
        }
    }

    private TlsContextSource(Path certFile, Path keyFile, SslProvider provider) {
        this.certFile = Objects.requireNonNull(certFile, "certFile");
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * Loads the pair with the best provider this platform has.
     *
     * @throws IllegalArgumentException naming the flag, when a file cannot be read or the pair does not match
     */
    public static TlsContextSource load(Path certFile, Path keyFile) {
        return load(certFile, keyFile, defaultProvider());
    }

    /** Loads the pair with the given provider ({@link SslProvider#JDK} or {@link SslProvider#OPENSSL}). */
    public static TlsContextSource load(Path certFile, Path keyFile, SslProvider provider) {
        TlsContextSource source = new TlsContextSource(certFile, keyFile, provider);
        FileStamp stamp = FileStamp.of(certFile, keyFile);
        source.current.set(source.build());
        source.seen = stamp;
        source.warnIfNotValidNow();
        return source;
    }

    /** OpenSSL when netty-tcnative loads on this platform (and is not switched off), else the JDK. */
    public static SslProvider defaultProvider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** The context for the next connection. */
    @Override
    public SslContext get() {
        return current.get().context();
    }

    /** The certificate served to the next connection. */
    public X509Certificate certificate() {
        return current.get().certificate();
    }

    public SslProvider provider() {
        return provider;
    }

    /** Which TLS implementation serves, for the startup line: {@code OpenSSL (BoringSSL)} or {@code JDK}. */
    public String providerName() {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL (" + OpenSsl.versionString() + ")";
    }

    /**
     * Looks at the files' size and modification time and, when either changed since the last
     * look, loads the new pair. Never throws: a pair that fails keeps the current one and is
     * logged in one line.
     *
     * @return whether a new pair is now served
     */
    public boolean reloadIfChanged() {
        FileStamp stamp = FileStamp.of(certFile, keyFile);
        if (stamp.equals(seen)) {
            return false;
        }
        seen = stamp;
        try {
            Loaded loaded = build();
            current.set(loaded);
            log.info("TLS: serving the new certificate {} (serial {}, valid until {})",
                    loaded.certificate().getSubjectX500Principal().getName(),
                    loaded.certificate().getSerialNumber().toString(16), loaded.certificate().getNotAfter().toInstant());
            warnIfNotValidNow();
            return true;
        } catch (IllegalArgumentException e) {
            log.warn("TLS: the certificate files changed but the new pair is refused, still serving serial {}: {}",
                    certificate().getSerialNumber().toString(16), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("TLS: the certificate files changed but the new pair is refused, still serving serial {}: {}",
                    certificate().getSerialNumber().toString(16), e.toString());
            return false;
        }
    }

    private Loaded build() {
        X509Certificate[] chain = PemFiles.certificates(certFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        PemFiles.checkPair(chain[0], key, keyFile);
        try {
            SslContext context = SslContextBuilder.forServer(key, chain)
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
            return new Loaded(context, chain[0]);
        } catch (SSLException e) {
            throw new IllegalArgumentException(PemFiles.CERT_FLAG + " " + certFile + ": cannot set up TLS with it ("
                    + e.getMessage() + ")");
        }
    }

    private void warnIfNotValidNow() {
        X509Certificate cert = certificate();
        Instant now = Instant.now();
        if (now.isAfter(cert.getNotAfter().toInstant()) || now.isBefore(cert.getNotBefore().toInstant())) {
            log.warn("TLS: the certificate {} is valid from {} to {} only; clients will refuse it now",
                    cert.getSubjectX500Principal().getName(), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        }
    }
}
