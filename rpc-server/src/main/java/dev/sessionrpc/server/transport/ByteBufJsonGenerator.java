package dev.sessionrpc.server.transport;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.json.JsonWriteContext;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON generator that writes UTF-8 straight into the reply's {@link ByteBuf}, so that a reply
 * is encoded once, where it will be sent from, instead of into Jackson's own buffer and then
 * copied. It writes what Jackson's UTF-8 generator writes with the codec's settings, byte for
 * byte: the same escapes (the short ones, a six-character hex escape for other control
 * characters, and surrogates escaped one by one), numbers by their {@code toString}, NaN and
 * infinities as strings. No pretty printing and no custom escapes: the codec asks for neither.
 */
final class ByteBufJsonGenerator extends GeneratorBase {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    /** For ASCII: 0 written as is, a letter for its short escape, 'u' for a six-character hex escape. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    /** Jackson's default features, collected once: collecting them copies the enum's values each time. */
    private static final int DEFAULT_FEATURES = JsonGenerator.Feature.collectDefaults();

    /** Each event loop's generator, so that a reply's write contexts serve the next reply too. */
    private static final ThreadLocal<ByteBufJsonGenerator> PER_THREAD =
            ThreadLocal.withInitial(() -> new ByteBufJsonGenerator(null, null));

    private final JsonWriteContext root;
    private ByteBuf out;

    ByteBufJsonGenerator(ByteBuf out, ObjectCodec codec) {
        super(DEFAULT_FEATURES, codec);
        this.out = out;
        this.root = _writeContext;
    }

    /**
     * This thread's generator, made ready to write one reply into {@code out} from the top, as a
     * new one would: the write contexts it made for earlier replies are used again instead of
     * new ones per reply. Whatever an earlier write left (a failure halfway) is forgotten.
     */
    static ByteBufJsonGenerator reusedFor(ByteBuf out, ObjectCodec codec) {
        ByteBufJsonGenerator g = PER_THREAD.get();
        g.out = out;
        g._objectCodec = codec;
        g._features = DEFAULT_FEATURES;
        g._cfgNumbersAsStrings = Feature.WRITE_NUMBERS_AS_STRINGS.enabledIn(DEFAULT_FEATURES);
        g._closed = false;
        g._writeContext = g.root.reset(JsonWriteContext.TYPE_ROOT, null);
        return g;
    }

    // ---------------------------------------------------------------- structure

    @Override
    public void writeStartArray() throws IOException {
        _verifyValueWrite("start an array");
        _writeContext = _writeContext.createChildArrayContext();
        out.writeByte('[');
    }

    @Override
    public void writeEndArray() throws IOException {
        if (!_writeContext.inArray()) {
            _reportError("Current context not Array but " + _writeContext.typeDesc());
        }
        out.writeByte(']');
        _writeContext = _writeContext.clearAndGetParent();
    }

    @Override
    public void writeStartObject() throws IOException {
        _verifyValueWrite("start an object");
        _writeContext = _writeContext.createChildObjectContext();
        out.writeByte('{');
    }

    @Override
    public void writeEndObject() throws IOException {
        if (!_writeContext.inObject()) {
            _reportError("Current context not Object but " + _writeContext.typeDesc());
        }
        out.writeByte('}');
        _writeContext = _writeContext.clearAndGetParent();
    }

    @Override
    public void writeFieldName(String name) throws IOException {
        int status = _writeContext.writeFieldName(name);
        if (status == JsonWriteContext.STATUS_EXPECT_VALUE) {
            _reportError("Can not write a field name, expecting a value");
        }
        if (status == JsonWriteContext.STATUS_OK_AFTER_COMMA) {
            out.writeByte(',');
        }
        quoted(name, 0, name.length());
    }

    @Override
    protected void _verifyValueWrite(String typeMsg) throws IOException {
        int status = _writeContext.writeValue();
        switch (status) {
            case JsonWriteContext.STATUS_EXPECT_NAME -> _reportError("Can not " + typeMsg + ", expecting field name");
            case JsonWriteContext.STATUS_OK_AFTER_COMMA -> out.writeByte(',');
            case JsonWriteContext.STATUS_OK_AFTER_COLON -> out.writeByte(':');
            case JsonWriteContext.STATUS_OK_AFTER_SPACE -> out.writeByte(' ');
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- text

    @Override
    public void writeString(String text) throws IOException {
        _verifyValueWrite(WRITE_STRING);
        if (text == null) {
            out.writeBytes(NULL);
        } else {
            quoted(text, 0, text.length());
        }
    }

    @Override
    public void writeString(char[] text, int offset, int len) throws IOException {
        writeString(new String(text, offset, len));
    }

    @Override
    public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
        _verifyValueWrite(WRITE_STRING);
        out.writeByte('"');
        out.writeBytes(text, offset, length);
        out.writeByte('"');
    }

    @Override
    public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void writeRaw(String text) {
        raw(text, 0, text.length());
    }

    @Override
    public void writeRaw(String text, int offset, int len) {
        raw(text, offset, offset + len);
    }

    @Override
    public void writeRaw(char[] text, int offset, int len) {
        writeRaw(new String(text, offset, len));
    }

    @Override
    public void writeRaw(char c) {
        raw(String.valueOf(c), 0, 1);
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
        _verifyValueWrite(WRITE_BINARY);
        out.writeByte('"');
        raw(variant.encode(Arrays.copyOfRange(data, offset, offset + len)), 0, -1);
        out.writeByte('"');
    }

    /** A string in quotes with JSON's escapes; other text as UTF-8, surrogates escaped one by one. */
    private void quoted(String s, int from, int to) {
        out.writeByte('"');
        int plain = from;
        while (plain < to && s.charAt(plain) < 0x80 && ESCAPES[s.charAt(plain)] == 0) {
            plain++;
        }
        // the common case, printable ASCII, goes in one bulk write
        out.writeCharSequence(s.subSequence(from, plain), StandardCharsets.US_ASCII);
        for (int i = plain; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    out.writeByte(c);
                } else if (escape == 'u') {
                    unicodeEscape(c);
                } else {
                    out.writeByte('\\');
                    out.writeByte(escape);
                }
            } else if (c < 0x800) {
                out.writeByte(0xC0 | (c >> 6));
                out.writeByte(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                out.writeByte(0xE0 | (c >> 12));
                out.writeByte(0x80 | ((c >> 6) & 0x3F));
                out.writeByte(0x80 | (c & 0x3F));
            }
        }
        out.writeByte('"');
    }

    private void unicodeEscape(char c) {
        out.writeByte('\\');
        out.writeByte('u');
        out.writeByte(HEX[(c >> 12) & 0xF]);
        out.writeByte(HEX[(c >> 8) & 0xF]);
        out.writeByte(HEX[(c >> 4) & 0xF]);
        out.writeByte(HEX[c & 0xF]);
    }

    /** Text as it is, in UTF-8; {@code to} of -1 means the whole string. */
    private void raw(String s, int from, int to) {
        String part = to < 0 ? s : s.substring(from, to);
        out.writeCharSequence(part, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- numbers and literals

    @Override
    public void writeNumber(int v) throws IOException {
        writeNumber((long) v);
    }

    /** The digits go straight into the buffer, as {@link Long#toString(long)} spells them, with no String between. */
    @Override
    public void writeNumber(long v) throws IOException {
        _verifyValueWrite(WRITE_NUMBER);
        long negative = v;
        if (v < 0) {
            out.writeByte('-');
        } else {
            negative = -v; // counted on the negative side, where Long.MIN_VALUE fits
        }
        int digits = 1;
        for (long rest = negative / 10; rest != 0; rest /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int start = out.writerIndex();
        for (int i = start + digits - 1; i >= start; i--) {
            out.setByte(i, (int) ('0' - negative % 10));
            negative /= 10;
        }
        out.writerIndex(start + digits);
    }

    @Override
    public void writeNumber(BigInteger v) throws IOException {
        if (v == null) {
            writeNull();
        } else {
            writeNumber(v.toString());
        }
    }

    @Override
    public void writeNumber(double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            writeString(Double.toString(v));
        } else {
            writeNumber(Double.toString(v));
        }
    }

    @Override
    public void writeNumber(float v) throws IOException {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            writeString(Float.toString(v));
        } else {
            writeNumber(Float.toString(v));
        }
    }

    @Override
    public void writeNumber(BigDecimal v) throws IOException {
        if (v == null) {
            writeNull();
        } else {
            writeNumber(v.toString());
        }
    }

    @Override
    public void writeNumber(String encoded) throws IOException {
        _verifyValueWrite(WRITE_NUMBER);
        if (encoded == null) {
            out.writeBytes(NULL);
        } else {
            out.writeCharSequence(encoded, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void writeBoolean(boolean state) throws IOException {
        _verifyValueWrite(WRITE_BOOLEAN);
        out.writeBytes(state ? TRUE : FALSE);
    }

    @Override
    public void writeNull() throws IOException {
        _verifyValueWrite(WRITE_NULL);
        out.writeBytes(NULL);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void flush() {
        // the buffer is the destination: nothing is held back
    }

    @Override
    protected void _releaseBuffers() {
        // no buffers of its own
    }
}
