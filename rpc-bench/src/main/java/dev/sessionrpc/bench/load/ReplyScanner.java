package dev.sessionrpc.bench.load;

/**
 * Reads just enough of a reply to account for it: the top-level {@code id} (a JSON integer) and,
 * when the reply is an error, its {@code code}. A full JSON parse per reply would make the load
 * generator as expensive as the server it measures; this is one pass over the bytes with no
 * allocation. Anything it cannot read is reported as malformed, never guessed.
 */
public final class ReplyScanner {

    /** No integer id was found at the top level. */
    public static final long NO_ID = Long.MIN_VALUE;
    /** The reply holds no top-level {@code error} member. */
    public static final int NO_ERROR = Integer.MIN_VALUE;
    /** The reply has an {@code error} member without an integer {@code code}. */
    public static final int UNKNOWN_ERROR = Integer.MIN_VALUE + 1;

    private static final byte[] ID = {'i', 'd'};
    private static final byte[] ERROR = {'e', 'r', 'r', 'o', 'r'};
    private static final byte[] CODE = {'c', 'o', 'd', 'e'};

    private final byte[] buf;
    private int pos;
    private final int end;

    private long id = NO_ID;
    private int errorCode = NO_ERROR;
    private boolean malformed;

    private ReplyScanner(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    /** Scans one reply object held in {@code buf[offset, offset + length)}. */
    public static ReplyScanner scan(byte[] buf, int offset, int length) {
        ReplyScanner s = new ReplyScanner(buf, offset, length);
        try {
            s.topLevel();
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            s.malformed = true;
        }
        return s;
    }

    public long id() {
        return id;
    }

    public int errorCode() {
        return errorCode;
    }

    public boolean isError() {
        return errorCode != NO_ERROR;
    }

    public boolean malformed() {
        return malformed;
    }

    private void topLevel() {
        skipWs();
        expect('{');
        skipWs();
        if (peek() == '}') {
            return;
        }
        while (true) {
            skipWs();
            int keyStart = pos + 1;
            skipString();
            int keyEnd = pos - 1;
            skipWs();
            expect(':');
            skipWs();
            if (keyIs(keyStart, keyEnd, ID)) {
                id = readIntegerOrNone();
            } else if (keyIs(keyStart, keyEnd, ERROR)) {
                errorCode = readErrorCode();
            } else {
                skipValue();
            }
            skipWs();
            byte b = next();
            if (b == '}') {
                return;
            }
            if (b != ',') {
                throw new IllegalStateException("expected , or }");
            }
        }
    }

    private int readErrorCode() {
        if (peek() != '{') {
            skipValue();
            return UNKNOWN_ERROR;
        }
        int code = UNKNOWN_ERROR;
        pos++;
        skipWs();
        if (peek() == '}') {
            pos++;
            return code;
        }
        while (true) {
            skipWs();
            int keyStart = pos + 1;
            skipString();
            int keyEnd = pos - 1;
            skipWs();
            expect(':');
            skipWs();
            if (keyIs(keyStart, keyEnd, CODE)) {
                long c = readIntegerOrNone();
                code = c == NO_ID || c != (int) c ? UNKNOWN_ERROR : (int) c;
            } else {
                skipValue();
            }
            skipWs();
            byte b = next();
            if (b == '}') {
                return code;
            }
            if (b != ',') {
                throw new IllegalStateException("expected , or }");
            }
        }
    }

    /** Reads an integer literal; any other value is skipped and reported as {@link #NO_ID}. */
    private long readIntegerOrNone() {
        byte b = peek();
        if (b != '-' && (b < '0' || b > '9')) {
            skipValue();
            return NO_ID;
        }
        boolean negative = b == '-';
        if (negative) {
            pos++;
        }
        long v = 0;
        int digits = 0;
        while (pos < end) {
            b = at(pos);
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
            digits++;
            pos++;
        }
        if (digits == 0 || digits > 18) {
            throw new IllegalStateException("not an integer id");
        }
        if (pos < end) {
            b = at(pos);
            if (b == '.' || b == 'e' || b == 'E') {
                skipValue();
                return NO_ID;
            }
        }
        return negative ? -v : v;
    }

    private void skipValue() {
        byte b = peek();
        switch (b) {
            case '"' -> skipString();
            case '{', '[' -> skipContainer();
            default -> {
                // number, true, false, null: up to the next delimiter
                while (pos < end) {
                    byte c = at(pos);
                    if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                        return;
                    }
                    pos++;
                }
            }
        }
    }

    private void skipContainer() {
        int depth = 0;
        while (true) {
            byte b = at(pos);
            if (b == '"') {
                skipString();
                continue;
            }
            pos++;
            if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (--depth == 0) {
                    return;
                }
            }
            if (pos >= end) {
                throw new IllegalStateException("unterminated container");
            }
        }
    }

    private void skipString() {
        expect('"');
        while (true) {
            byte b = at(pos++);
            if (b == '\\') {
                pos++;
            } else if (b == '"') {
                return;
            }
            if (pos >= end) {
                throw new IllegalStateException("unterminated string");
            }
        }
    }

    private boolean keyIs(int start, int endExclusive, byte[] key) {
        if (endExclusive - start != key.length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (at(start + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    private void skipWs() {
        while (pos < end) {
            byte b = at(pos);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private byte at(int i) {
        if (i >= end) {
            throw new IllegalStateException("unexpected end");
        }
        return buf[i];
    }

    private byte peek() {
        if (pos >= end) {
            throw new IllegalStateException("unexpected end");
        }
        return at(pos);
    }

    private byte next() {
        byte b = peek();
        pos++;
        return b;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalStateException("expected " + c);
        }
    }
}
