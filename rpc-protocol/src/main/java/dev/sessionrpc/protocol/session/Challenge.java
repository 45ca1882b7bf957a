package dev.sessionrpc.protocol.session;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Base32;

/**
 * The challenge arithmetic both sides share: an RFC 6238 TOTP over the Base32-decoded secret
 * (HMAC-SHA1, 30 s step, 6 digits), and the answer, the lower-case hex SHA-1 of the TOTP
 * followed by the private hash. A client proves it still holds the private hash without sending
 * it. Instances are immutable and thread-safe; the digests are made per call.
 */
public final class Challenge {

    /** Seconds per TOTP step. */
    public static final int STEP_SECONDS = 30;
    /** Characters of a hex SHA-1 answer. */
    public static final int ANSWER_LENGTH = 40;
    /** Bytes of an answer's raw SHA-1 digest. */
    public static final int DIGEST_LENGTH = 20;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;
    private final byte[] privateHash;

    /**
     * @param base32Secret the challenge as {@code session.create} returned it (RFC 4648 alphabet, no padding)
     * @param privateHash the client's private hash, as registered
     */
    public Challenge(String base32Secret, String privateHash) {
        this.key = decodeBase32(base32Secret);
        this.privateHash = privateHash.getBytes(StandardCharsets.US_ASCII);
    }

    /** The TOTP counter of a Unix time: {@code floor(seconds / 30)}. */
    public static long counterAt(long unixSeconds) {
        return Math.floorDiv(unixSeconds, STEP_SECONDS);
    }

    /** The six-digit TOTP for a counter, as a zero-padded string. */
    public String totp(long counter) {
        return new String(new Steps().totpDigits(counter), StandardCharsets.US_ASCII);
    }

    /** The answer for a counter, as lower-case hex ASCII bytes (40 of them). */
    public byte[] answerBytes(long counter) {
        return new Steps().answer(counter);
    }

    /** The answer a client sends at the given Unix time. */
    public String answerAt(long unixSeconds) {
        return new String(answerBytes(counterAt(unixSeconds)), StandardCharsets.US_ASCII);
    }

    /**
     * The raw SHA-1 digests (20 bytes each, not hex) of the answers for {@code steps} consecutive
     * counters from {@code firstCounter}, one after the other in one array, the HMAC keyed once
     * for all of them. This is what a verifier keeps: half the bytes of the hex answers.
     */
    public byte[] answerDigests(long firstCounter, int steps) {
        Steps s = new Steps();
        byte[] out = new byte[steps * DIGEST_LENGTH];
        for (int i = 0; i < steps; i++) {
            s.digest(firstCounter + i, out, i * DIGEST_LENGTH);
        }
        return out;
    }

    /**
     * The arithmetic of one or more steps with one keyed HMAC: keying costs two SHA-1 blocks, so
     * a window of five steps keys once instead of five times. Not thread-safe; made per call.
     */
    private final class Steps {
        private final HMac mac = new HMac(new SHA1Digest());
        private final SHA1Digest sha1 = new SHA1Digest();
        private final byte[] msg = new byte[8];
        private final byte[] h = new byte[20];
        private final byte[] digits = new byte[6];
        private final byte[] digest = new byte[20];

        Steps() {
            mac.init(new KeyParameter(key));
        }

        /** RFC 6238 with 6 digits; doFinal leaves the HMAC keyed for the next step. */
        byte[] totpDigits(long counter) {
            for (int i = 7; i >= 0; i--) {
                msg[i] = (byte) counter;
                counter >>>= 8;
            }
            mac.update(msg, 0, msg.length);
            mac.doFinal(h, 0);
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
                    | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            int otp = binary % 1_000_000;
            for (int i = digits.length - 1; i >= 0; i--) {
                digits[i] = (byte) ('0' + otp % 10);
                otp /= 10;
            }
            return digits;
        }

        /** Writes the SHA-1 of the TOTP followed by the private hash into {@code out} at {@code offset}. */
        void digest(long counter, byte[] out, int offset) {
            byte[] totp = totpDigits(counter);
            sha1.update(totp, 0, totp.length);
            sha1.update(privateHash, 0, privateHash.length);
            sha1.doFinal(out, offset);
        }

        /** A new array holding the lower-case hex SHA-1 of the TOTP followed by the private hash. */
        byte[] answer(long counter) {
            digest(counter, digest, 0);
            byte[] hex = new byte[digest.length * 2];
            for (int i = 0; i < digest.length; i++) {
                hex[2 * i] = HEX[(digest[i] >> 4) & 0x0f];
                hex[2 * i + 1] = HEX[digest[i] & 0x0f];
            }
            return hex;
        }
    }

    /** Decodes an unpadded RFC 4648 Base32 string (upper case), as the challenge is sent. */
    public static byte[] decodeBase32(String s) {
        int pad = (8 - s.length() % 8) % 8;
        return Base32.decode(s + "=".repeat(pad));
    }

    /** Encodes bytes as unpadded RFC 4648 Base32. */
    public static String encodeBase32(byte[] bytes) {
        String padded = Base32.toBase32String(bytes);
        int end = padded.length();
        while (end > 0 && padded.charAt(end - 1) == '=') {
            end--;
        }
        return padded.substring(0, end);
    }
}
