package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The marshallers every method can fall back on, and the two steps around any marshaller:
 * reading a request's params and writing params for a request. Trees and reflection are here
 * for methods that want them (embedding applications, the CLI's untyped calls); the built-in
 * methods have marshallers of their own.
 */
public final class JsonMarshallers {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper(new JsonFactory()));

    /** Params as a JSON tree: an object, an array, or null when the request has none. */
    public static final JsonMarshaller<JsonNode> TREE_PARAMS = new JsonMarshaller<>() {
        @Override
        public JsonNode read(JsonParser p) throws IOException {
            return p.currentToken() == null ? null : MAPPER.readTree(p);
        }

        @Override
        public void write(JsonNode value, JsonGenerator g) throws IOException {
            MAPPER.writeTree(g, value);
        }
    };

    /** Any value Jackson can write, written by reflection; read back as a JSON tree. */
    public static final JsonMarshaller<Object> ANY_RESULT = new JsonMarshaller<>() {
        @Override
        public Object read(JsonParser p) throws IOException {
            return MAPPER.readTree(p);
        }

        @Override
        public void write(Object value, JsonGenerator g) throws IOException {
            MAPPER.writeValue(g, value);
        }
    };

    /** No params: whatever a request carries is ignored, and a call sends none. */
    public static final JsonMarshaller<Void> NO_PARAMS = new JsonMarshaller<>() {
        @Override
        public Void read(JsonParser p) {
            return null;
        }

        @Override
        public void write(Void value, JsonGenerator g) {
            throw new IllegalArgumentException("a method without params has no params to write");
        }
    };

    private JsonMarshallers() {
    }

    /** The settings every mapper of the protocol shares: exact decimals, no flush per value, empty beans allowed. */
    static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** Reads a request's params (null when absent) with a method's marshaller. */
    public static <P> P readParams(ParamsBytes params, JsonMarshaller<P> marshaller) throws IOException {
        try (JsonParser p = params == null ? ParamsBytes.absent() : params.parser()) {
            return marshaller.read(p);
        }
    }

    /** Writes params for a request; null stays null, a request without params. */
    public static <P> ParamsBytes writeParams(P value, JsonMarshaller<P> marshaller) {
        if (value == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            marshaller.write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        return new ParamsBytes(bytes, 0, bytes.length);
    }

    /** Params from a JSON tree (an object or an array), or null. */
    public static ParamsBytes params(JsonNode tree) {
        return writeParams(tree, TREE_PARAMS);
    }
}
