package dev.sessionrpc.protocol;

import java.util.Objects;

/**
 * A request id kept exactly as the client wrote it. Numbers keep their literal text, so that
 * {@code 12345678901234567890} and {@code 1.50} come back character for character.
 */
public record RequestId(Kind kind, String text) {

    /** The JSON type of the id. */
    public enum Kind { STRING, NUMBER, NULL }

    public static final RequestId NULL = new RequestId(Kind.NULL, null);

    public RequestId {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.NULL) != (text == null)) {
            throw new IllegalArgumentException("text must be null exactly when kind is NULL");
        }
    }

    public static RequestId ofString(String value) {
        return new RequestId(Kind.STRING, value);
    }

    /** An id from a JSON number literal, such as {@code "42"} or {@code "1.5"}. */
    public static RequestId ofNumber(String literal) {
        return new RequestId(Kind.NUMBER, literal);
    }

    public static RequestId of(long value) {
        return ofNumber(Long.toString(value));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NULL -> "null";
            case NUMBER -> text;
            case STRING -> '"' + text + '"';
        };
    }
}
