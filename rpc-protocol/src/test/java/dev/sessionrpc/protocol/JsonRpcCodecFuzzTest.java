package dev.sessionrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Any bytes a client can send go through {@link JsonRpcCodec#decode(byte[])}: the codec promises
 * a decoded message or a ready wire error, never an exception, and the server then encodes what
 * it decoded. Runs over the committed inputs in every build (regression mode) and explores with
 * {@code JAZZER_FUZZ=1} (see docs/FUZZING.md).
 */
class JsonRpcCodecFuzzTest {

    private static final JsonRpcCodec CODEC = new JsonRpcCodec();
    /** A server's codec, whose methods (all of them here) read params in the decoding pass. */
    private static final JsonRpcCodec IN_PASS = new JsonRpcCodec(CodecLimits.DEFAULTS, method -> JsonMarshallers.TREE_PARAMS);

    @FuzzTest(maxDuration = "10m")
    void anyBytesDecodeToAMessageOrAWireError(byte[] bytes) {
        DecodedMessage message = CODEC.decode(bytes);
        assertParamsReadInThePassDecodeAlike(message, IN_PASS.decode(bytes));

        if (message.isFailure()) {
            // parse errors, an empty batch and an over-long batch: one error object, id null (PROTOCOL.md §2)
            JsonRpcResponse failure = message.failure();
            assertThat(failure.error()).isNotNull();
            assertThat(failure.error().code()).isIn(-32700, -32600);
            assertThat(failure.error().name()).isIn("ParseError", "InvalidRequest");
            assertThat(failure.id()).isEqualTo(RequestId.NULL);
            assertThat(message.entries()).isEmpty();
            assertEncodes(List.of(failure), false);
            return;
        }

        if (message.batch()) {
            assertThat(message.entries()).hasSizeBetween(1, CODEC.limits().maxBatchLength());
        } else {
            assertThat(message.entries()).hasSize(1);
        }
        List<JsonRpcResponse> replies = new ArrayList<>();
        for (DecodedMessage.Entry entry : message.entries()) {
            if (entry.invalid() != null) {
                JsonRpcError error = entry.invalid().error();
                assertThat(error.code()).isEqualTo(-32600);
                assertThat(error.name()).isEqualTo("InvalidRequest");
                replies.add(entry.invalid());
                continue;
            }
            JsonRpcRequest request = entry.request();
            assertThat(request.method()).isNotNull();
            assertRequestRoundTrips(request);
            if (!request.isNotification()) {
                // the server echoes the id; a result as big as the params must be writable too
                replies.add(JsonRpcResponse.success(request.id(), paramsTree(request)));
                replies.add(JsonRpcResponse.failure(request.id(), JsonRpcError.of(ErrorCode.METHOD_NOT_FOUND,
                        "Method not found: " + request.method())));
            }
        }
        if (!replies.isEmpty()) {
            assertEncodes(replies, message.batch());
        }
    }

    /**
     * Reading params in the decoding pass changes nothing a client can see: the same verdicts (id,
     * code and name; a message with two faults may be refused for either, so the wording may name
     * the other one) and the same params.
     */
    private static void assertParamsReadInThePassDecodeAlike(DecodedMessage fromBytes, DecodedMessage inPass) {
        assertSameVerdict(inPass.failure(), fromBytes.failure());
        assertThat(inPass.entries()).hasSameSizeAs(fromBytes.entries());
        for (int i = 0; i < fromBytes.entries().size(); i++) {
            DecodedMessage.Entry expected = fromBytes.entries().get(i);
            DecodedMessage.Entry actual = inPass.entries().get(i);
            assertSameVerdict(actual.invalid(), expected.invalid());
            if (expected.request() == null) {
                continue;
            }
            JsonRpcRequest request = actual.request();
            assertThat(new JsonRpcRequest(request.id(), request.method(), request.params())).isEqualTo(expected.request());
            if (request.read() != null) {
                JsonNode read;
                try {
                    read = request.read().valueFor(JsonMarshallers.TREE_PARAMS);
                } catch (Throwable t) {
                    throw new AssertionError("params read in the pass were refused: " + request.params(), t);
                }
                assertThat(read.equals(JsonRpcCodecFuzzTest::sameValue, paramsTree(expected.request())))
                        .as("params read in the pass: %s", request.params()).isTrue();
            }
        }
    }

    private static void assertSameVerdict(JsonRpcResponse actual, JsonRpcResponse expected) {
        if (expected == null || actual == null) {
            assertThat(actual).isEqualTo(expected);
            return;
        }
        assertThat(actual.id()).isEqualTo(expected.id());
        assertThat(actual.error().code()).as("code of %s", actual).isEqualTo(expected.error().code());
        assertThat(actual.error().name()).as("name of %s", actual).isEqualTo(expected.error().name());
    }

    /** Every reply the server could send for this message encodes, alone and as a batch. */
    private static void assertEncodes(List<JsonRpcResponse> replies, boolean batch) {
        for (JsonRpcResponse r : replies) {
            assertReadsBack(CODEC.encodeToBytes(r), 1);
        }
        if (batch) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CODEC.encodeBatch(replies, out);
            assertReadsBack(out.toByteArray(), replies.size());
        }
    }

    /**
     * Well-formed JSON, which a client reads back as that many replies; or, where an echoed
     * number is past what a client can hold (an id such as {@code 123e567890123456788}, echoed
     * as sent), one that the client refuses as not a reply, never with another exception.
     */
    private static void assertReadsBack(byte[] encoded, int replies) {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(encoded)) {
            while (p.nextToken() != null) {
                // tokens only: the structure must be JSON, whatever the numbers hold
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("not well-formed JSON: " + new String(encoded, java.nio.charset.StandardCharsets.UTF_8), e);
        }
        try {
            assertThat(CODEC.decodeResponses(encoded, 0, encoded.length)).hasSize(replies);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getCause()).as("refused only for a number it cannot hold")
                    .isInstanceOf(NumberFormatException.class);
        }
    }

    /** What a client writes from a decoded request decodes to the same request: method, id literal, params. */
    private static void assertRequestRoundTrips(JsonRpcRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CODEC.encodeRequest(request, out);
        DecodedMessage again = CODEC.decode(out.toByteArray());
        assertThat(again.isFailure()).as("re-decoding %s", out).isFalse();
        assertThat(again.entries()).hasSize(1);
        JsonRpcRequest copy = again.entries().get(0).request();
        assertThat(copy).as("re-decoding %s", out).isNotNull();
        assertThat(copy.method()).isEqualTo(request.method());
        assertThat(copy.id()).isEqualTo(request.id());
        // numbers keep their value, not necessarily their spelling (1.0E+2 may come back as 1E+2)
        JsonNode sent = paramsTree(request);
        JsonNode received = paramsTree(copy);
        assertThat(sent == null ? received == null
                : received != null && sent.equals(JsonRpcCodecFuzzTest::sameValue, received))
                .as("params survive re-encoding: %s", out).isTrue();
    }

    /** The params as a tree-based method would be given them; null when absent. */
    private static JsonNode paramsTree(JsonRpcRequest request) {
        try {
            return JsonMarshallers.readParams(request.params(), JsonMarshallers.TREE_PARAMS);
        } catch (java.io.IOException e) {
            throw new AssertionError("params the codec accepted do not read back: " + request.params(), e);
        }
    }

    private static int sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }
}
