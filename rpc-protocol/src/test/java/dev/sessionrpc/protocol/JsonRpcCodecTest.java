package dev.sessionrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §2 at the codec: what each incoming text decodes to and how replies are written. */
class JsonRpcCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonRpcCodec codec = new JsonRpcCodec();

    private DecodedMessage decode(String text) {
        return codec.decode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The single request a message must hold. */
    private JsonRpcRequest request(String text) {
        DecodedMessage m = decode(text);
        assertThat(m.isFailure()).as("whole-message failure for %s", text).isFalse();
        assertThat(m.batch()).isFalse();
        assertThat(m.entries()).hasSize(1);
        assertThat(m.entries().get(0).invalid()).as("invalid entry for %s", text).isNull();
        return m.entries().get(0).request();
    }

    /** The error reply a single invalid request earns, as written on the wire. */
    private JsonNode invalidEntryReply(String text) {
        DecodedMessage m = decode(text);
        assertThat(m.isFailure()).as("whole-message failure for %s", text).isFalse();
        assertThat(m.entries()).hasSize(1);
        JsonRpcResponse invalid = m.entries().get(0).invalid();
        assertThat(invalid).as("invalid entry for %s", text).isNotNull();
        return tree(codec.encodeToBytes(invalid));
    }

    /** The reply a whole message earns when it fails as a whole. */
    private JsonNode failureReply(String text) {
        DecodedMessage m = decode(text);
        assertThat(m.isFailure()).as("whole-message failure for %s", text).isTrue();
        assertThat(m.entries()).isEmpty();
        return tree(codec.encodeToBytes(m.failure()));
    }

    /** A request's params as the tree a tree-based method would be given. */
    private static JsonNode paramsTree(JsonRpcRequest request) {
        try {
            return JsonMarshallers.readParams(request.params(), JsonMarshallers.TREE_PARAMS);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("codec wrote invalid JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private String echo(String text) {
        JsonRpcRequest r = request(text);
        return new String(codec.encodeToBytes(JsonRpcResponse.success(r.id(), "ok")), StandardCharsets.UTF_8);
    }

    private static void assertError(JsonNode reply, int code, String name, boolean nullId) {
        assertThat(reply.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(reply.has("result")).isFalse();
        assertThat(reply.path("error").path("code").isInt()).isTrue();
        assertThat(reply.path("error").path("code").asInt()).isEqualTo(code);
        assertThat(reply.path("error").path("message").isTextual()).isTrue();
        assertThat(reply.path("error").path("data").path("name").asText()).isEqualTo(name);
        if (nullId) {
            assertThat(reply.has("id")).isTrue();
            assertThat(reply.get("id").isNull()).isTrue();
        }
    }

    @Nested
    class Version {
        @Test
        void versionTwoPointZeroIsAccepted() {
            assertThat(request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}").method()).isEqualTo("m");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"method\":\"m\",\"id\":7}",
            "{\"jsonrpc\":\"1.0\",\"method\":\"m\",\"id\":7}",
            "{\"jsonrpc\":2.0,\"method\":\"m\",\"id\":7}",
            "{\"jsonrpc\":\"2.00\",\"method\":\"m\",\"id\":7}",
            "{\"jsonrpc\":null,\"method\":\"m\",\"id\":7}",
            "{\"jsonrpc\":[\"2.0\"],\"method\":\"m\",\"id\":7}"
        })
        void anyOtherVersionIsAnInvalidRequestThatKeepsTheId(String text) {
            JsonNode reply = invalidEntryReply(text);
            assertError(reply, -32600, "InvalidRequest", false);
            assertThat(reply.get("id").asInt()).isEqualTo(7);
        }
    }

    @Nested
    class Ids {
        @Test
        void bigIntegerIdIsEchoedAsTheSameLiteral() {
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":12345678901234567890}"))
                    .contains("\"id\":12345678901234567890}");
        }

        @Test
        void fractionalIdIsEchoedAsTheSameLiteral() {
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1.5}")).contains("\"id\":1.5}");
        }

        @Test
        void numberLiteralsKeepTheirSpelling() {
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1.50}")).contains("\"id\":1.50}");
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":-3}")).contains("\"id\":-3}");
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1e3}")).contains("\"id\":1e3}");
        }

        @Test
        void stringIdIsEchoedAsAString() {
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":\"abc\"}")).contains("\"id\":\"abc\"}");
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":\"12\"}")).contains("\"id\":\"12\"}");
        }

        @Test
        void stringIdWithQuotesAndUnicodeIsEscapedOnTheWay() {
            String reply = echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":\"a\\\"b\\u00e9\"}");
            assertThat(tree(reply.getBytes(StandardCharsets.UTF_8)).get("id").asText()).isEqualTo("a\"b\u00e9");
        }

        @Test
        void nullIdIsARequestNotANotification() {
            JsonRpcRequest r = request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":null}");
            assertThat(r.isNotification()).isFalse();
            assertThat(r.id()).isEqualTo(RequestId.NULL);
            assertThat(echo("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":null}")).contains("\"id\":null}");
        }

        @Test
        void missingIdIsANotification() {
            JsonRpcRequest r = request("{\"jsonrpc\":\"2.0\",\"method\":\"m\"}");
            assertThat(r.isNotification()).isTrue();
            assertThat(r.id()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"a\":1}", "[]", "[1]", "true", "false"})
        void idOfAnotherTypeIsAnInvalidRequestWithNullId(String id) {
            JsonNode reply = invalidEntryReply("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + id + "}");
            assertError(reply, -32600, "InvalidRequest", true);
        }

        @Test
        void idOfAnotherTypeWinsOverOtherFaultsAndStillGetsNullId() {
            JsonNode reply = invalidEntryReply("{\"jsonrpc\":\"1.0\",\"method\":5,\"id\":{\"x\":1}}");
            assertError(reply, -32600, "InvalidRequest", true);
        }
    }

    @Nested
    class Methods {
        @ParameterizedTest
        @ValueSource(strings = {"1", "null", "true", "[\"m\"]", "{\"m\":1}"})
        void methodThatIsNotAStringIsAnInvalidRequest(String method) {
            JsonNode reply = invalidEntryReply("{\"jsonrpc\":\"2.0\",\"method\":" + method + ",\"id\":\"x\"}");
            assertError(reply, -32600, "InvalidRequest", false);
            assertThat(reply.get("id").asText()).isEqualTo("x");
        }

        @Test
        void missingMethodIsAnInvalidRequest() {
            assertError(invalidEntryReply("{\"jsonrpc\":\"2.0\",\"id\":1}"), -32600, "InvalidRequest", false);
        }

        @Test
        void reservedNamesStillDecodeSoThatDispatchCanRefuseThem() {
            assertThat(request("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.x\",\"id\":1}").method()).isEqualTo("rpc.x");
        }

        @Test
        void membersMayComeInAnyOrderAndUnknownMembersAreIgnored() {
            JsonRpcRequest r = request("{\"id\":4,\"extra\":{\"deep\":[1,2]},\"params\":[1],\"method\":\"m\",\"jsonrpc\":\"2.0\"}");
            assertThat(r.method()).isEqualTo("m");
            assertThat(r.id()).isEqualTo(RequestId.ofNumber("4"));
            assertThat(paramsTree(r).isArray()).isTrue();
        }
    }

    @Nested
    class Parameters {
        @Test
        void objectParamsAreKept() {
            JsonRpcRequest r = request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":{\"b\":[1,2]}},\"id\":1}");
            assertThat(paramsTree(r).path("a").path("b").get(1).asInt()).isEqualTo(2);
        }

        @Test
        void arrayParamsAreKept() {
            JsonRpcRequest r = request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[42,23],\"id\":1}");
            assertThat(paramsTree(r).size()).isEqualTo(2);
        }

        @Test
        void paramsAreKeptAsTheBytesTheClientSentNotAsATree() {
            JsonRpcRequest r = request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\" : { \"b\" : [1.50, 2e0] ,\"a\":null } ,\"id\":1}");
            assertThat(r.params().text()).isEqualTo("{ \"b\" : [1.50, 2e0] ,\"a\":null }");
        }

        @Test
        void absentParamsAreNull() {
            assertThat(request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}").params()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "\"x\"", "1", "true"})
        void paramsThatAreNeitherObjectNorArrayAreAnInvalidRequest(String params) {
            JsonNode reply = invalidEntryReply("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + params + ",\"id\":3}");
            assertError(reply, -32600, "InvalidRequest", false);
            assertThat(reply.get("id").asInt()).isEqualTo(3);
        }
    }

    /** A server's codec: its methods' marshallers read params in the decoding pass. */
    @Nested
    class ParamsReadInThePass {
        /** Reads an object's "n" member as an int and refuses a negative one; everything else is skipped. */
        private final JsonMarshaller<Integer> numberReader = new JsonMarshaller<>() {
            @Override
            public Integer read(com.fasterxml.jackson.core.JsonParser p) throws IOException {
                int[] n = {0};
                JsonFields.read(p, (name, value) -> {
                    if (name.equals("n")) {
                        n[0] = value.getIntValue();
                    }
                });
                if (n[0] < 0) {
                    throw new RpcException(ErrorCode.INVALID_PARAMS, "n must not be negative", "n");
                }
                return n[0];
            }

            @Override
            public void write(Integer value, com.fasterxml.jackson.core.JsonGenerator g) {
                throw new UnsupportedOperationException();
            }
        };
        private final JsonRpcCodec server = new JsonRpcCodec(CodecLimits.DEFAULTS,
                method -> method.equals("m") ? numberReader : method.equals("tree") ? JsonMarshallers.TREE_PARAMS : null);

        private JsonRpcRequest serverRequest(String text) {
            DecodedMessage m = server.decode(text.getBytes(StandardCharsets.UTF_8));
            assertThat(m.isFailure()).as("whole-message failure for %s", text).isFalse();
            assertThat(m.entries().get(0).invalid()).as("invalid entry for %s", text).isNull();
            return m.entries().get(0).request();
        }

        @Test
        void paramsAfterTheMethodAreReadByItsMarshallerAndKeepTheirBytes() throws Throwable {
            JsonRpcRequest r = serverRequest("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"x\":[{}],\"n\":7},\"id\":1}");
            assertThat(r.read().valueFor(numberReader)).isEqualTo(7);
            assertThat(r.params().text()).isEqualTo("{\"x\":[{}],\"n\":7}");
            assertThat(r.id()).isEqualTo(RequestId.of(1));
        }

        @Test
        void paramsBeforeTheMethodOrOfAnUnknownMethodAreLeftAsBytes() {
            assertThat(serverRequest("{\"jsonrpc\":\"2.0\",\"params\":{\"n\":7},\"method\":\"m\",\"id\":1}").read()).isNull();
            assertThat(serverRequest("{\"jsonrpc\":\"2.0\",\"method\":\"other\",\"params\":{\"n\":7},\"id\":1}").read()).isNull();
        }

        @Test
        void aMarshallersRefusalIsTheRequestsNotTheMessages() {
            JsonRpcRequest r = serverRequest("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"n\":-1,\"rest\":[1,{\"a\":2}]},\"id\":1}");
            assertThat(r.read().failure()).isInstanceOf(RpcException.class);
            assertThatThrownBy(() -> r.read().valueFor(numberReader)).isInstanceOf(RpcException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"n\":-1,\"d\":{\"a\":1,\"a\":2}},\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"n\":1,\"n\":2},\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"n\":1,\"x\":1e999999999999},\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"n\":1,\"x\":[}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"tree\",\"params\":{\"a\":{\"b\":1,\"b\":2}},\"id\":1}"
        })
        void brokenInputInParamsIsStillAParseErrorForTheWholeMessage(String text) {
            DecodedMessage m = server.decode(text.getBytes(StandardCharsets.UTF_8));
            assertThat(m.isFailure()).isTrue();
            assertThat(m.failure()).isEqualTo(codec.decode(text.getBytes(StandardCharsets.UTF_8)).failure());
        }

        @Test
        void aTreeMethodGetsTheSameTreeAsFromTheBytes() throws Throwable {
            JsonRpcRequest r = serverRequest("{\"jsonrpc\":\"2.0\",\"method\":\"tree\",\"params\":[1.50,{\"a\":[null,true]},\"s\"],\"id\":1}");
            assertThat(r.read().valueFor(JsonMarshallers.TREE_PARAMS)).isEqualTo(paramsTree(r));
        }

        @Test
        void membersAfterParamsReadPartlyAreStillDecoded() {
            JsonRpcRequest r = serverRequest("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[{\"n\":1},2],\"id\":\"after\"}");
            assertThat(r.id()).isEqualTo(RequestId.ofString("after"));
        }
    }

    @Nested
    class WholeMessages {
        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "not json", "{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]",
            "{", "[", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1", "\u00ff\u00fe"})
        void textThatIsNotJsonIsAParseErrorWithNullId(String text) {
            assertError(failureReply(text), -32700, "ParseError", true);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1} x",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":2}",
            "[{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}]]",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1} 1"
        })
        void trailingContentAfterTheValueIsAParseError(String text) {
            assertError(failureReply(text), -32700, "ParseError", true);
        }

        @Test
        void numberLongerThanTheParserAllowsIsAParseErrorThatSaysSo() {
            JsonNode reply = failureReply("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + "9".repeat(2000) + "}");
            assertError(reply, -32700, "ParseError", true);
            assertThat(reply.path("error").path("message").asText()).doesNotContain("nested");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"method\":\"help.get_server_information\",\"id\":1,\"params\":{\"x\":1e999999999999}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,\"params\":[1E-99999999999]}",
            "[{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,\"params\":[2.5e2147483648]}]"
        })
        void exponentThatOverflowsIsAParseErrorNotAnException(String text) {
            assertError(failureReply(text), -32700, "ParseError", true);
        }

        @Test
        void trailingWhitespaceIsFine() {
            assertThat(request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1} \n\t").method()).isEqualTo("m");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"method\":\"n\",\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,\"id\":2}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":1,\"a\":2},\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[{\"x\":{\"b\":1,\"b\":1}}],\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"extra\":{\"k\":1,\"k\":2},\"id\":1}",
            "[{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1},{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":2}]"
        })
        void duplicateKeysAnywhereAreAParseError(String text) {
            JsonNode reply = failureReply(text);
            assertError(reply, -32700, "ParseError", true);
            assertThat(reply.path("error").path("message").asText()).containsIgnoringCase("duplicate");
        }

        @Test
        void duplicateKeyInAnObjectOfManyMembersIsAParseError() {
            String members = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "\"k" + i + "\":" + i)
                    .collect(java.util.stream.Collectors.joining(","));
            String text = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{" + members + ",\"k7\":0},\"id\":1}";
            JsonNode reply = failureReply(text);
            assertError(reply, -32700, "ParseError", true);
            assertThat(reply.path("error").path("message").asText()).containsIgnoringCase("duplicate");
        }

        @Test
        void sameKeyInSiblingAndNestedObjectsIsNoDuplicate() {
            String text = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[{\"a\":{\"a\":1},\"b\":2},{\"a\":1,\"b\":2}],"
                    + "\"x\":{\"method\":1,\"id\":2},\"id\":1}";
            assertThat(paramsTree(request(text)).size()).isEqualTo(2);
        }

        @Test
        void aDuplicateInOneMessageDoesNotLingerIntoTheNext() {
            failureReply("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":{\"b\":1,\"b\":2}},\"id\":1}");
            assertThat(request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"b\":1},\"id\":1}").method())
                    .isEqualTo("m");
        }

        @Test
        void topLevelScalarIsAnInvalidRequest() {
            assertError(invalidEntryReply("1"), -32600, "InvalidRequest", true);
            assertError(invalidEntryReply("\"m\""), -32600, "InvalidRequest", true);
            assertError(invalidEntryReply("null"), -32600, "InvalidRequest", true);
        }
    }

    @Nested
    class Nesting {
        /** A request whose params nest so that the whole message is {@code depth} levels deep. */
        private String nestedRequest(int depth) {
            int inner = depth - 1; // the request object is the first level
            return "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + "[".repeat(inner) + "]".repeat(inner) + ",\"id\":1}";
        }

        @Test
        void messageExactlyAtTheDepthLimitIsAccepted() {
            assertThat(paramsTree(request(nestedRequest(CodecLimits.DEFAULT_MAX_NESTING_DEPTH))).isArray()).isTrue();
        }

        @Test
        void messageOneLevelDeeperThanTheLimitIsAParseError() {
            JsonNode reply = failureReply(nestedRequest(CodecLimits.DEFAULT_MAX_NESTING_DEPTH + 1));
            assertError(reply, -32700, "ParseError", true);
            assertThat(reply.path("error").path("message").asText()).contains("64");
        }

        @Test
        void fiveHundredLevelsIsAParseError() {
            assertError(failureReply(nestedRequest(500)), -32700, "ParseError", true);
        }

        @Test
        void deepNestingInAnIgnoredMemberIsAlsoAParseError() {
            String text = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"x\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + ",\"id\":1}";
            assertError(failureReply(text), -32700, "ParseError", true);
        }

        @Test
        void bareArraysAtTheLimitAreStillAValidBatchShape() {
            String text = "[" + "[".repeat(62) + "]".repeat(62) + "]";
            DecodedMessage m = decode(text);
            assertThat(m.isFailure()).isFalse();
            assertThat(m.batch()).isTrue();
            assertThat(m.entries()).hasSize(1);
            assertThat(m.entries().get(0).invalid()).isNotNull();
        }

        @Test
        void theDepthLimitIsConfigurable() {
            JsonRpcCodec shallow = new JsonRpcCodec(new CodecLimits(3, 10));
            String three = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[[]],\"id\":1}";
            String four = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[[[]]],\"id\":1}";
            assertThat(shallow.decode(three.getBytes(StandardCharsets.UTF_8)).isFailure()).isFalse();
            assertThat(shallow.decode(four.getBytes(StandardCharsets.UTF_8)).failure().error().code()).isEqualTo(-32700);
        }
    }

    @Nested
    class Batches {
        private String requests(int n) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":").append(i).append('}');
            }
            return b.append(']').toString();
        }

        @Test
        void emptyBatchIsOneInvalidRequestObject() {
            JsonNode reply = failureReply("[]");
            assertThat(reply.isObject()).isTrue();
            assertError(reply, -32600, "InvalidRequest", true);
        }

        @Test
        void batchOfScalarsIsOneInvalidRequestPerElement() {
            DecodedMessage m = decode("[1,2]");
            assertThat(m.isFailure()).isFalse();
            assertThat(m.batch()).isTrue();
            assertThat(m.entries()).hasSize(2);
            for (DecodedMessage.Entry e : m.entries()) {
                assertError(tree(codec.encodeToBytes(e.invalid())), -32600, "InvalidRequest", true);
            }
        }

        @Test
        void batchElementsKeepTheirOrderAndValidOnesStayRequests() {
            DecodedMessage m = decode("[{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1},{\"foo\":\"boo\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"b\"},[],{\"jsonrpc\":\"2.0\",\"method\":\"c\",\"id\":\"3\"}]");
            assertThat(m.entries()).hasSize(5);
            assertThat(m.entries().get(0).request().method()).isEqualTo("a");
            assertThat(m.entries().get(1).invalid()).isNotNull();
            assertThat(m.entries().get(2).request().isNotification()).isTrue();
            assertThat(m.entries().get(3).invalid()).isNotNull();
            assertThat(m.entries().get(4).request().id()).isEqualTo(RequestId.ofString("3"));
        }

        @Test
        void batchOfOneIsStillABatch() {
            DecodedMessage m = decode(requests(1));
            assertThat(m.batch()).isTrue();
            assertThat(m.entries()).hasSize(1);
        }

        @Test
        void batchAtTheLengthLimitIsAccepted() {
            DecodedMessage m = decode(requests(CodecLimits.DEFAULT_MAX_BATCH_LENGTH));
            assertThat(m.isFailure()).isFalse();
            assertThat(m.entries()).hasSize(100);
        }

        @Test
        void batchLongerThanTheLimitIsOneInvalidRequestObjectNamingTheLimit() {
            JsonNode reply = failureReply(requests(CodecLimits.DEFAULT_MAX_BATCH_LENGTH + 1));
            assertThat(reply.isObject()).isTrue();
            assertError(reply, -32600, "InvalidRequest", true);
            assertThat(reply.path("error").path("message").asText()).contains("100");
        }

        @Test
        void theBatchLimitIsConfigurable() {
            JsonRpcCodec small = new JsonRpcCodec(new CodecLimits(64, 2));
            assertThat(small.decode(requests(2).getBytes(StandardCharsets.UTF_8)).isFailure()).isFalse();
            JsonRpcResponse failure = small.decode(requests(3).getBytes(StandardCharsets.UTF_8)).failure();
            assertThat(failure.error().code()).isEqualTo(-32600);
            assertThat(failure.error().message()).contains("2");
            assertThat(failure.id()).isEqualTo(RequestId.NULL);
        }

        @Test
        void brokenJsonInsideABatchIsAParseErrorForTheWholeMessage() {
            assertError(failureReply("[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\"]"), -32700, "ParseError", true);
        }
    }

    @Test
    void aReplyWithANumberThePeerCannotHoldIsNotAReplyRatherThanAnEscapingException() {
        // an id the server echoes as sent; found by fuzzing
        byte[] reply = "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":123e567890123456788}".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decodeResponses(reply, 0, reply.length))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reply is not valid JSON");
    }

    @Nested
    class Encoding {
        @Test
        void successIsWrittenWithVersionResultAndId() {
            String text = new String(codec.encodeToBytes(JsonRpcResponse.success(RequestId.of(7), List.of(1, 2))),
                    StandardCharsets.UTF_8);
            assertThat(text).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,2],\"id\":7}");
        }

        @Test
        void nullResultIsWrittenAsJsonNull() {
            JsonNode reply = tree(codec.encodeToBytes(JsonRpcResponse.success(RequestId.ofString("a"), null)));
            assertThat(reply.has("result")).isTrue();
            assertThat(reply.get("result").isNull()).isTrue();
            assertThat(reply.has("error")).isFalse();
        }

        @Test
        void errorIsWrittenWithCodeMessageAndDataName() {
            JsonRpcError error = JsonRpcError.of(ErrorCode.MISSING_PARAMETER, "Missing parameter: x", "x", java.util.Map.of());
            JsonNode reply = tree(codec.encodeToBytes(JsonRpcResponse.failure(RequestId.NULL, error)));
            assertError(reply, -32602, "MissingParameter", true);
            assertThat(reply.path("error").path("data").path("parameter").asText()).isEqualTo("x");
        }

        @Test
        void batchReplyIsAnArrayInTheGivenOrder() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            codec.encodeBatch(List.of(JsonRpcResponse.success(RequestId.ofString("2"), 2),
                    JsonRpcResponse.success(RequestId.ofString("1"), 1)), out);
            JsonNode reply = tree(out.toByteArray());
            assertThat(reply.isArray()).isTrue();
            assertThat(reply.get(0).get("id").asText()).isEqualTo("2");
            assertThat(reply.get(1).get("id").asText()).isEqualTo("1");
        }

        @Test
        void requestsWrittenByTheClientSideDecodeBackUnchanged() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonRpcRequest sent = new JsonRpcRequest(RequestId.ofNumber("12345678901234567890"), "m",
                    JsonMarshallers.params(JSON.createArrayNode().add(1)));
            codec.encodeRequest(sent, out);
            JsonRpcRequest received = request(out.toString(StandardCharsets.UTF_8));
            assertThat(received).isEqualTo(sent);
        }

        @Test
        void notificationsAreWrittenWithoutAnIdMember() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            codec.encodeRequest(new JsonRpcRequest(null, "m", null), out);
            assertThat(tree(out.toByteArray()).has("id")).isFalse();
        }

        @Test
        void clientSideDecodingKeepsNumberIdLiterals() {
            byte[] reply = "[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":12345678901234567890},{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1.5}]"
                    .getBytes(StandardCharsets.UTF_8);
            List<JsonRpcResponse> responses = codec.decodeResponses(reply, 0, reply.length);
            assertThat(responses).extracting(JsonRpcResponse::id)
                    .containsExactly(RequestId.ofNumber("12345678901234567890"), RequestId.ofNumber("1.5"));
        }
    }
}
