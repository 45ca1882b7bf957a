package dev.sessionrpc.server.testing;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for tests, made fresh in memory, that issues server
 * certificates for any host names and validity, so that TLS tests need no files in the
 * repository and can make expired or wrong-host certificates at will. Files are written as the
 * server reads them: PEM certificate, PEM PKCS#8 key.
 */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509Certificate certificate;

    /** A server certificate with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** Writes the certificate and key as the server reads them; returns {@code dir/name.crt} and {@code dir/name.key}. */
        public Path[] write(Path dir, String name) {
            Path cert = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            writeTo(cert, key);
            return new Path[] {cert, key};
        }

        /** Writes over the given files (to rotate a served pair). */
        public void writeTo(Path certFile, Path keyFile) {
            try {
                Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
                Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed authority. */
    public static TestCertificates authority() {
        KeyPair keys = keyPair("EC");
        X500Principal name = new X500Principal("CN=session-rpc test CA " + RANDOM.nextInt(1_000_000));
        Instant now = Instant.now();
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic()), keys, true, List.of());
        return new TestCertificates(keys, ca);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A client's TLS settings that trust this authority alone (host names are checked as usual). */
    public SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes this authority's certificate, for clients to trust ({@code --ca-file}). */
    public Path write(Path file) {
        try {
            Files.writeString(file, pem("CERTIFICATE", certificate.getEncoded()));
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC certificate for these hosts (DNS names or IP literals), valid from an hour ago for a day. */
    public Issued issue(String... hosts) {
        Instant now = Instant.now();
        return issue("EC", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), hosts);
    }

    /** A certificate with a key of {@code algorithm} ("EC" or "RSA") for these hosts, valid in the given span. */
    public Issued issue(String algorithm, Instant notBefore, Instant notAfter, String... hosts) {
        KeyPair leafKeys = keyPair(algorithm);
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            names.add(NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
                    ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
        }
        X509Certificate leaf = sign(new JcaX509v3CertificateBuilder(certificate.getSubjectX500Principal(), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Principal("CN=" + hosts[0]), leafKeys.getPublic()),
                keys, false, names);
        return new Issued(leaf, leafKeys);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer, boolean ca, List<GeneralName> names) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            String algorithm = issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuer.getPrivate())));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
