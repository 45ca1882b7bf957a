package dev.sessionrpc.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * Makes the request frames of one connection. Requests are rendered from byte templates so
 * that only the id (and for {@code session.get} the answer, once per 30 s step) changes: the
 * generator's own cost per request stays a copy of a few hundred bytes.
 */
public interface RequestSource {

    /** The most bytes {@link #write} can need. */
    int maxLength();

    /** Writes the request with this id at the start of {@code dst}; returns its length. */
    int write(byte[] dst, long id);

    /**
     * Checks one fully decoded reply (the first of each connection) so that a benchmark cannot
     * count wrong answers as fast ones. Returns null when it is fine, else what is wrong.
     */
    default String check(JsonNode reply) {
        if (reply == null || !reply.isObject()) {
            return "reply is not an object";
        }
        if (reply.has("error")) {
            return "error reply: " + reply.get("error");
        }
        if (!reply.has("result")) {
            return "reply without result";
        }
        return null;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a non-negative long as decimal digits at {@code pos}; returns the position after them. */
    static int writeDecimal(byte[] dst, int pos, long v) {
        if (v == 0) {
            dst[pos] = '0';
            return pos + 1;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--) {
            dst[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return pos + digits;
    }
}
