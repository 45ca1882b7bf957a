package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A request's {@code params} kept as the bytes the client sent (an object or an array), so that
 * a method's own marshaller reads them once it is known, straight from the bytes, instead of the
 * codec building a tree nobody asked for. The bytes have passed the codec's checks (well-formed,
 * nesting, duplicate keys, numbers) before a value of this type exists, so reading them again
 * can only fail where a method refuses what they say.
 */
public record ParamsBytes(byte[] bytes, int offset, int length) {

    /** Reads bytes that the codec has checked already: its limits held, so none apply twice. */
    private static final JsonFactory CHECKED = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    public ParamsBytes {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length < 2 || (bytes[offset] != '{' && bytes[offset] != '[')) {
            throw new IllegalArgumentException("params must be an object or an array");
        }
    }

    /** Params that are exactly this JSON text, an object or an array. */
    public static ParamsBytes of(String json) {
        byte[] bytes = json.strip().getBytes(StandardCharsets.UTF_8);
        return new ParamsBytes(bytes, 0, bytes.length);
    }

    public boolean isArray() {
        return bytes[offset] == '[';
    }

    /** A parser on the params' first token. */
    public JsonParser parser() throws IOException {
        JsonParser p = CHECKED.createParser(bytes, offset, length);
        p.nextToken();
        return p;
    }

    /** A parser with no current token, which is how a marshaller sees absent params. */
    static JsonParser absent() throws IOException {
        return CHECKED.createParser(new byte[0]);
    }

    /** The params as JSON text. */
    public String text() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamsBytes other
                && Arrays.equals(bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return text();
    }
}
