package dev.sessionrpc.bench.jmh;

import dev.sessionrpc.protocol.session.Challenge;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenge arithmetic on the JDK's own HMAC-SHA1 and SHA-1 instead of BouncyCastle, for
 * comparison only (DESIGN.md asks for BouncyCastle in the product). Same result as
 * {@link Challenge}; checked against the protocol's test vectors by the benchmark's setup.
 */
final class JdkChallenge {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;
    private final MessageDigest sha1;
    private final byte[] privateHash;

    JdkChallenge(String base32Secret, String privateHash) throws GeneralSecurityException {
        this.mac = Mac.getInstance("HmacSHA1");
        this.mac.init(new SecretKeySpec(Challenge.decodeBase32(base32Secret), "HmacSHA1"));
        this.sha1 = MessageDigest.getInstance("SHA-1");
        this.privateHash = privateHash.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] answer(long counter) {
        byte[] msg = new byte[8];
        for (int i = 7; i >= 0; i--) {
            msg[i] = (byte) counter;
            counter >>>= 8;
        }
        byte[] h = mac.doFinal(msg);
        int offset = h[h.length - 1] & 0x0f;
        int otp = (((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
                | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff)) % 1_000_000;
        byte[] digits = new byte[6];
        for (int i = 5; i >= 0; i--) {
            digits[i] = (byte) ('0' + otp % 10);
            otp /= 10;
        }
        sha1.update(digits);
        sha1.update(privateHash);
        byte[] d = sha1.digest();
        byte[] hex = new byte[40];
        for (int i = 0; i < d.length; i++) {
            hex[2 * i] = HEX[(d[i] >> 4) & 0x0f];
            hex[2 * i + 1] = HEX[d[i] & 0x0f];
        }
        return hex;
    }

    boolean verify(byte[] givenLowerHex, long unixSeconds, int window) {
        long now = Challenge.counterAt(unixSeconds);
        boolean ok = false;
        for (long c = now - window; c <= now + window; c++) {
            ok |= MessageDigest.isEqual(answer(c), givenLowerHex);
        }
        return ok;
    }
}
