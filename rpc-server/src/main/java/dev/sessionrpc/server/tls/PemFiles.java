package dev.sessionrpc.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM certificate chain and a PEM PKCS#8 private key and checks that they belong
 * together. Every failure is an {@link IllegalArgumentException} whose message names the flag and
 * says what is wrong in one line, because it is shown to an operator as is.
 */
final class PemFiles {

    static final String CERT_FLAG = "--tls-cert";
    static final String KEY_FLAG = "--tls-key";

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PemFiles() {
    }

    /** The certificates of {@code file}, the server's own first. */
    static X509Certificate[] certificates(Path file) {
        byte[] pem = read(CERT_FLAG, file);
        try {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(CERT_FLAG + " " + file + ": no PEM certificate in the file");
            }
            return certs.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(CERT_FLAG + " " + file + ": not a PEM certificate chain (" + e.getMessage() + ")");
        }
    }

    /** The PKCS#8 private key of {@code file}. */
    static PrivateKey privateKey(Path file) {
        String pem = new String(read(KEY_FLAG, file), StandardCharsets.US_ASCII);
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            String hint = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                    ? "the key is encrypted; give it without a password (openssl pkcs8 -topk8 -nocrypt)"
                    : pem.contains(" PRIVATE KEY-----")
                    ? "the key is not PKCS#8; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem"
                    : "no -----BEGIN PRIVATE KEY----- block in the file";
            throw new IllegalArgumentException(KEY_FLAG + " " + file + ": " + hint);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_FLAG + " " + file + ": the PEM block is not valid Base64");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(KEY_FLAG + " " + file + ": not an RSA, EC or EdDSA PKCS#8 private key");
    }

    /** Refuses a key that cannot sign for the certificate's public key. */
    static void checkPair(X509Certificate cert, PrivateKey key, Path keyFile) {
        PublicKey publicKey = cert.getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        boolean matches;
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException(KEY_FLAG + " " + keyFile + ": the key does not belong to the certificate "
                    + cert.getSubjectX500Principal().getName() + " (" + publicKey.getAlgorithm() + " certificate, "
                    + key.getAlgorithm() + " key)");
        }
    }

    private static byte[] read(String flag, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + file + ": cannot read the file (" + e + ")");
        }
    }
}
