package dev.sessionrpc.client.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom a client trusts for {@code wss://} and {@code https://}: the JDK's trust store, or the
 * certificate authorities of one PEM file (a private CA, a test server's self-signed
 * certificate). WebSocket and HTTP take their TLS settings from here so that both trust the same
 * servers; host names are checked either way (by {@link WebSocketConnector} and by the JDK's
 * HTTP client), so trusting a CA never means trusting any host it vouches for under another name.
 */
public final class TrustedCertificates {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TrustedCertificates() {
    }

    /**
     * TLS settings for {@link WebSocketConnector}, on the JDK's TLS implementation.
     *
     * @param caFile PEM certificates to trust instead of the JDK trust store; null for the trust store
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public static SslContext forWebSocket(Path caFile) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .trustManager(trustManagers(caFile))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** TLS settings for {@link java.net.http.HttpClient}, trusting the same as {@link #forWebSocket(Path)}. */
    public static SSLContext forHttp(Path caFile) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(caFile).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(Path caFile) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(caFile == null ? null : keyStore(caFile));
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStore(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try {
            certificates = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(caFile)));
        } catch (IOException e) {
            throw new IllegalArgumentException("CA file " + caFile + ": cannot read it (" + e + ")");
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("CA file " + caFile + ": not PEM certificates (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("CA file " + caFile + ": no PEM certificate in it");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }
}
