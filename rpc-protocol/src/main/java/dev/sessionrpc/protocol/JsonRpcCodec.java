package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one place where bytes become JSON-RPC messages and messages become bytes. Decoding never
 * throws for anything a client can send: broken input, whatever the parser raises for it, comes
 * back as a ready wire error, so the transports only move bytes.
 *
 * <p>Request objects are read with the streaming parser so that number ids keep their literal
 * text; {@code params} is checked as it streams past (nesting, duplicate keys, numbers) and kept
 * as a byte range for the method's marshaller. Duplicate keys and nesting beyond the limit are
 * parse errors. Duplicate keys are found by {@link DuplicateKeys}, not by the parser, which
 * would build a hash set per object; {@link #mapper()} still refuses them itself.
 *
 * <p>A server's codec knows its methods' params readers: when a request names its method before
 * its params (as clients write them), the method's marshaller reads the params in the same pass,
 * on the codec's parser, and the request carries what it read ({@link ReadParams}) beside the
 * bytes, so that no second parser is made for them. What is refused, and how, does not change.
 */
public final class JsonRpcCodec {

    private static final String VERSION = "2.0";

    private final CodecLimits limits;
    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final DuplicateKeys.NumberCheck numberCheck;
    private final Function<String, JsonMarshaller<?>> paramsReaders;

    public JsonRpcCodec(CodecLimits limits) {
        this(limits, method -> null);
    }

    /**
     * A codec that reads each request's params with its method's marshaller as it decodes them.
     *
     * @param paramsReaders a method's params marshaller by the method's name; null for a name
     *     it does not know (such a request's params are read from their bytes, if at all)
     */
    public JsonRpcCodec(CodecLimits limits, Function<String, JsonMarshaller<?>> paramsReaders) {
        this.limits = limits;
        this.paramsReaders = Objects.requireNonNull(paramsReaders, "paramsReaders");
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .build();
        this.factory = JsonFactory.builder().streamReadConstraints(constraints).build();
        this.mapper = JsonMarshallers.configure(new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build()));
        this.numberCheck = mapper::readTree;
    }

    public JsonRpcCodec() {
        this(CodecLimits.DEFAULTS);
    }

    public CodecLimits limits() {
        return limits;
    }

    /** The mapper behind this codec, configured with the same limits, for reading params into values. */
    public ObjectMapper mapper() {
        return mapper;
    }

    // ---------------------------------------------------------------- decoding (server side)

    public DecodedMessage decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes one message: a request object or a batch array. The caller may reuse the array
     * afterwards: params keep a copy of their own bytes.
     */
    public DecodedMessage decode(byte[] bytes, int offset, int length) {
        return decode(bytes, offset, length, true);
    }

    /**
     * Decodes one message from an array that the caller hands over: params refer to its bytes
     * instead of copying them, so nothing may write to the array afterwards.
     */
    public DecodedMessage decodeInPlace(byte[] bytes, int offset, int length) {
        return decode(bytes, offset, length, false);
    }

    private DecodedMessage decode(byte[] bytes, int offset, int length, boolean copyParams) {
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            DecodedMessage message = decodeTop(p, new Input(bytes, offset, copyParams, DuplicateKeys.forMessage()));
            if (message.failure() == null && p.nextToken() != null) {
                return parseError("Parse error: unexpected content after the JSON value");
            }
            return message;
        } catch (StreamConstraintsException e) {
            return parseError(constraintMessage(e));
        } catch (JsonProcessingException e) {
            return parseError(parseErrorMessage(e));
        } catch (NumberFormatException e) {
            // a number literal the parser cannot hold, such as an exponent past int range
            return parseError("Parse error: a number is out of range");
        } catch (IOException | RuntimeException e) {
            // whatever else the parser raises for these bytes is still the client's broken input
            return parseError("Parse error: the message is not valid JSON");
        }
    }

    /** The array being decoded, for cutting params out of it, and the keys of the objects open in it. */
    private record Input(byte[] bytes, int offset, boolean copyParams, DuplicateKeys keys) {
    }

    private DecodedMessage decodeTop(JsonParser p, Input input) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return parseError("Parse error: the message is empty");
        }
        if (first == JsonToken.START_ARRAY) {
            List<DecodedMessage.Entry> entries = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (entries.size() == limits.maxBatchLength()) {
                    return DecodedMessage.failed(JsonRpcResponse.failure(RequestId.NULL, JsonRpcError.of(
                            ErrorCode.INVALID_REQUEST,
                            "Invalid Request: a batch may hold at most " + limits.maxBatchLength() + " requests")));
                }
                entries.add(decodeEntry(p, input));
            }
            if (entries.isEmpty()) {
                return DecodedMessage.failed(invalid(RequestId.NULL, "Invalid Request: the batch is empty"));
            }
            return DecodedMessage.batch(entries);
        }
        return DecodedMessage.single(decodeEntry(p, input));
    }

    /** Reads one value at the current token, which must become a request object. */
    private DecodedMessage.Entry decodeEntry(JsonParser p, Input input) throws IOException {
        DuplicateKeys keys = input.keys();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            keys.skipValue(p, null);
            return new DecodedMessage.Entry(null,
                    invalid(RequestId.NULL, "Invalid Request: a request must be a JSON object"));
        }
        boolean hasId = false;
        RequestId id = null;
        boolean badId = false;
        boolean versionOk = false;
        JsonToken methodToken = null;
        String method = null;
        boolean hasParams = false;
        ParamsBytes params = null;
        ReadParams read = null;

        keys.enterObject();
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            keys.name(p, field);
            JsonToken t = p.nextToken();
            switch (field) {
                case "jsonrpc" -> {
                    versionOk = t == JsonToken.VALUE_STRING && isVersion(p);
                    keys.skipValue(p, null);
                }
                case "id" -> {
                    hasId = true;
                    switch (t) {
                        case VALUE_STRING -> id = RequestId.ofString(p.getText());
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> id = RequestId.ofNumber(p.getText());
                        case VALUE_NULL -> id = RequestId.NULL;
                        default -> {
                            badId = true;
                            keys.skipValue(p, null);
                        }
                    }
                }
                case "method" -> {
                    methodToken = t;
                    method = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    keys.skipValue(p, null);
                }
                case "params" -> {
                    hasParams = true;
                    JsonMarshaller<?> reader = method == null || params != null ? null : paramsReaders.apply(method);
                    if (reader != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        read = readInPass(p, input.keys(), reader);
                        params = cut(p, input, start);
                    } else {
                        read = null;
                        params = params(p, input);
                    }
                }
                default -> keys.skipValue(p, null);
            }
        }
        keys.exitObject();

        if (badId) {
            return new DecodedMessage.Entry(null,
                    invalid(RequestId.NULL, "Invalid Request: id must be a string, a number or null"));
        }
        RequestId replyId = hasId ? id : RequestId.NULL;
        if (!versionOk) {
            return new DecodedMessage.Entry(null, invalid(replyId, "Invalid Request: jsonrpc must be \"2.0\""));
        }
        if (methodToken != JsonToken.VALUE_STRING) {
            return new DecodedMessage.Entry(null, invalid(replyId, "Invalid Request: method must be a string"));
        }
        if (hasParams && params == null) {
            return new DecodedMessage.Entry(null,
                    invalid(replyId, "Invalid Request: params must be an object or an array"));
        }
        return new DecodedMessage.Entry(new JsonRpcRequest(hasId ? id : null, method, params, read), null);
    }

    /**
     * Streams past a params value, checking it as reading it into a tree would (a number the
     * parser cannot hold fails here, as it did there), and returns its bytes; null for a value
     * that is neither an object nor an array.
     */
    private ParamsBytes params(JsonParser p, Input input) throws IOException {
        JsonToken first = p.currentToken();
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            mapper.readTree(p);
            return null;
        }
        int start = (int) p.currentTokenLocation().getByteOffset();
        input.keys().skipValue(p, numberCheck);
        return cut(p, input, start);
    }

    /** The params' bytes, from {@code start} to where the parser stands, on the params' last token. */
    private static ParamsBytes cut(JsonParser p, Input input, int start) {
        int end = (int) p.currentLocation().getByteOffset();
        int from = input.offset() + start;
        return input.copyParams()
                ? new ParamsBytes(Arrays.copyOfRange(input.bytes(), from, input.offset() + end), 0, end - start)
                : new ParamsBytes(input.bytes(), from, end - start);
    }

    /** Whether the current string is "2.0", compared where the parser holds it rather than as a new String. */
    private static boolean isVersion(JsonParser p) throws IOException {
        if (p.getTextLength() != VERSION.length()) {
            return false;
        }
        char[] text = p.getTextCharacters();
        int offset = p.getTextOffset();
        for (int i = 0; i < VERSION.length(); i++) {
            if (text[offset + i] != VERSION.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The params as their method's marshaller reads them from the codec's parser, which then
     * stands on their last token. A failure of the input is the message's (a parse error, thrown);
     * the marshaller's refusal is the request's, kept for its dispatch.
     */
    private ReadParams readInPass(JsonParser p, DuplicateKeys keys, JsonMarshaller<?> reader) throws IOException {
        ParamsPassParser pass = new ParamsPassParser(p, keys, numberCheck);
        Object value = null;
        Throwable refused = null;
        try {
            value = reader.read(pass);
        } catch (Throwable t) {
            pass.rethrowInputFailure();
            refused = t;
        }
        pass.finish();
        return new ReadParams(reader, refused == null ? value : null, refused);
    }

    private static JsonRpcResponse invalid(RequestId id, String message) {
        return JsonRpcResponse.failure(id, JsonRpcError.of(ErrorCode.INVALID_REQUEST, message));
    }

    private static DecodedMessage parseError(String message) {
        return DecodedMessage.failed(JsonRpcResponse.failure(RequestId.NULL,
                JsonRpcError.of(ErrorCode.PARSE_ERROR, message)));
    }

    /** Names the limit that was hit: nesting is ours, the others are the parser's own bounds. */
    private String constraintMessage(StreamConstraintsException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.contains("nesting depth")) {
            return "Parse error: JSON nested deeper than " + limits.maxNestingDepth() + " levels";
        }
        if (original.startsWith("Number value length")) {
            return "Parse error: a number is longer than the parser allows";
        }
        return "Parse error: a value is longer than the parser allows";
    }

    private static String parseErrorMessage(JsonProcessingException e) {
        String original = e.getOriginalMessage();
        if (original != null && original.startsWith("Duplicate field")) {
            return "Parse error: duplicate key in an object";
        }
        return "Parse error: the message is not valid JSON";
    }

    // ---------------------------------------------------------------- encoding (server side)

    /** Writes one response object. */
    public void encode(JsonRpcResponse response, OutputStream out) {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            encode(response, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one response object to a generator the caller made (one over the reply's own buffer). */
    public void encode(JsonRpcResponse response, JsonGenerator g) {
        try {
            writeResponse(g, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a batch reply: an array of responses in the order given. */
    public void encodeBatch(List<JsonRpcResponse> responses, OutputStream out) {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            encodeBatch(responses, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a batch reply to a generator the caller made. */
    public void encodeBatch(List<JsonRpcResponse> responses, JsonGenerator g) {
        try {
            g.writeStartArray();
            for (JsonRpcResponse r : responses) {
                writeResponse(g, r);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] encodeToBytes(JsonRpcResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encode(response, out);
        return out.toByteArray();
    }

    private void writeResponse(JsonGenerator g, JsonRpcResponse r) throws IOException {
        g.writeStartObject();
        g.writeStringField("jsonrpc", VERSION);
        if (r.error() != null) {
            g.writeFieldName("error");
            writeError(g, r.error());
        } else {
            g.writeFieldName("result");
            r.writeResult(g);
        }
        g.writeFieldName("id");
        writeId(g, r.id());
        g.writeEndObject();
    }

    private void writeError(JsonGenerator g, JsonRpcError error) throws IOException {
        g.writeStartObject();
        g.writeNumberField("code", error.code());
        g.writeStringField("message", error.message());
        g.writeFieldName("data");
        mapper.writeValue(g, error.data());
        g.writeEndObject();
    }

    private static void writeId(JsonGenerator g, RequestId id) throws IOException {
        switch (id.kind()) {
            case NULL -> g.writeNull();
            case STRING -> g.writeString(id.text());
            case NUMBER -> g.writeNumber(id.text());
        }
    }

    // ---------------------------------------------------------------- client side

    /** Writes a request or notification (no id member when {@code request.id()} is null). */
    public void encodeRequest(JsonRpcRequest request, OutputStream out) {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            writeRequest(g, out, request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a batch of requests and notifications. */
    public void encodeRequestBatch(List<JsonRpcRequest> requests, OutputStream out) {
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (JsonRpcRequest r : requests) {
                writeRequest(g, out, r);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one request; its params go out byte for byte as they are held, not decoded and encoded again. */
    private void writeRequest(JsonGenerator g, OutputStream out, JsonRpcRequest r) throws IOException {
        g.writeStartObject();
        g.writeStringField("jsonrpc", VERSION);
        g.writeStringField("method", r.method());
        if (r.params() != null) {
            g.writeFieldName("params");
            g.writeRawValue(""); // the separator, through the generator; then the bytes, after what it holds
            g.flush();
            ParamsBytes params = r.params();
            out.write(params.bytes(), params.offset(), params.length());
        }
        if (r.id() != null) {
            g.writeFieldName("id");
            writeId(g, r.id());
        }
        g.writeEndObject();
    }

    /**
     * Reads a reply as a client sees it: one response object or an array of them. Results stay
     * JSON trees for the caller to map. Throws {@link IllegalArgumentException} for text that is
     * not a JSON-RPC reply.
     */
    public List<JsonRpcResponse> decodeResponses(byte[] bytes, int offset, int length) {
        JsonNode root;
        try {
            root = mapper.readTree(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            // also what the parser raises for JSON it cannot hold, such as a number past BigDecimal's range
            throw new IllegalArgumentException("reply is not valid JSON", e);
        }
        List<JsonRpcResponse> out = new ArrayList<>();
        if (root != null && root.isArray()) {
            for (JsonNode n : root) {
                out.add(toResponse(n));
            }
        } else {
            out.add(toResponse(root));
        }
        return out;
    }

    private JsonRpcResponse toResponse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("reply element is not an object");
        }
        JsonNode idNode = n.get("id");
        RequestId id;
        if (idNode == null || idNode.isNull()) {
            id = RequestId.NULL;
        } else if (idNode.isTextual()) {
            id = RequestId.ofString(idNode.textValue());
        } else if (idNode.isNumber()) {
            id = RequestId.ofNumber(idNode.isBigDecimal() ? idNode.decimalValue().toString() : idNode.asText());
        } else {
            throw new IllegalArgumentException("reply id is neither string, number nor null");
        }
        JsonNode error = n.get("error");
        if (error != null && error.isObject()) {
            JsonNode data = error.get("data");
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> dataMap = data != null && data.isObject()
                    ? mapper.convertValue(data, java.util.Map.class)
                    : java.util.Map.of();
            return JsonRpcResponse.failure(id, new JsonRpcError(error.path("code").asInt(),
                    error.path("message").asText(""), dataMap));
        }
        if (!n.has("result")) {
            throw new IllegalArgumentException("reply has neither result nor error");
        }
        return JsonRpcResponse.success(id, n.get("result"));
    }
}
