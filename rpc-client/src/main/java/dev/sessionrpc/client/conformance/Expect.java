package dev.sessionrpc.client.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The comparisons checks are made of. Each reads a raw reply, compares it with what the
 * protocol says, and throws {@link CheckFailed} with both sides spelt out when they differ.
 * Number ids are compared as the literal text the server wrote, so {@code 1.5} is not
 * {@code 1.50} and {@code 12345678901234567890} is not a rounded double.
 */
final class Expect {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Expect() {
    }

    /** What the id of a reply must be, as JSON literals: {@code null}, {@code 7}, {@code "abc"}. */
    record Id(String literal, boolean nullAllowed) {
        static final Id NULL = new Id("null", true);

        static Id of(String literal) {
            return new Id(literal, false);
        }

        /** The request's id, or null (JSON-RPC lets a server that cannot read the request say null). */
        static Id ofOrNull(String literal) {
            return new Id(literal, true);
        }

        boolean accepts(String got) {
            return literal.equals(got) || (nullAllowed && "null".equals(got));
        }

        String describe() {
            return "id " + literal + (nullAllowed && !"null".equals(literal) ? " or null" : "");
        }
    }

    /** An expected error: the code, and where given the {@code data.name} and {@code data.parameter}. */
    record Err(int code, String name, String parameter, Id id) {
        String describe() {
            return "error " + code + (name == null ? "" : " " + name)
                    + (parameter == null ? "" : " naming " + parameter) + " with " + id.describe();
        }
    }

    static Err err(int code, String name, Id id) {
        return new Err(code, name, null, id);
    }

    /** A reply that must be one JSON object; returns its tree. */
    static JsonNode object(Reply reply, String expected) {
        JsonNode node = json(reply, expected);
        if (!node.isObject()) {
            throw new CheckFailed(expected, "not a single object: " + reply.describe());
        }
        return node;
    }

    /** A reply that must be one JSON array of the given length; returns its tree. */
    static JsonNode array(Reply reply, int length, String expected) {
        JsonNode node = json(reply, expected);
        if (!node.isArray()) {
            throw new CheckFailed(expected, "not an array: " + reply.describe());
        }
        if (node.size() != length) {
            throw new CheckFailed(expected, node.size() + " elements: " + reply.describe());
        }
        return node;
    }

    static JsonNode json(Reply reply, String expected) {
        if (!(reply instanceof Reply.Text text)) {
            throw new CheckFailed(expected, reply.describe());
        }
        if (text.binaryFrame()) {
            throw new CheckFailed(expected + " in a text frame", reply.describe());
        }
        try {
            JsonNode node = JSON.readTree(text.raw());
            if (node == null) {
                throw new CheckFailed(expected, "an empty message");
            }
            return node;
        } catch (IOException e) {
            throw new CheckFailed(expected, "text that is not JSON: " + reply.describe());
        }
    }

    /** The reply is exactly this error (one object). Returns the error's {@code data}. */
    static JsonNode error(Reply reply, Err err) {
        String expected = err.describe();
        JsonNode obj = object(reply, expected);
        String id = topLevelIdLiteral(((Reply.Text) reply).raw());
        checkErrorObject(obj, err, expected, reply.describe(), id);
        return obj.path("error").path("data");
    }

    /** One element of a batch reply is exactly this error. */
    static void errorElement(JsonNode element, Err err, String expected, String shown) {
        checkErrorObject(element, err, expected, shown, literal(element.get("id")));
    }

    private static void checkErrorObject(JsonNode obj, Err err, String expected, String shown, String idLiteral) {
        envelope(obj, expected, shown);
        JsonNode error = obj.get("error");
        if (error == null || !error.isObject() || obj.has("result")) {
            throw new CheckFailed(expected, "no error object: " + shown);
        }
        JsonNode code = error.get("code");
        if (code == null || !code.isIntegralNumber() || code.asInt() != err.code()) {
            throw new CheckFailed(expected, "code " + code + ": " + shown);
        }
        if (!error.path("message").isTextual()) {
            throw new CheckFailed(expected + " and a string message", shown);
        }
        if (err.name() != null && !err.name().equals(error.path("data").path("name").asText(null))) {
            throw new CheckFailed(expected, "data.name " + error.path("data").get("name") + ": " + shown);
        }
        if (err.parameter() != null && !err.parameter().equals(error.path("data").path("parameter").asText(null))) {
            throw new CheckFailed(expected, "data.parameter " + error.path("data").get("parameter") + ": " + shown);
        }
        if (!err.id().accepts(idLiteral)) {
            throw new CheckFailed(expected, "id " + idLiteral + ": " + shown);
        }
    }

    /** The reply is a success (one object) with this id. Returns the result. */
    static JsonNode result(Reply reply, Id id, String expected) {
        JsonNode obj = object(reply, expected);
        envelope(obj, expected, reply.describe());
        if (!obj.has("result") || obj.has("error")) {
            throw new CheckFailed(expected, "no result: " + reply.describe());
        }
        String idLiteral = topLevelIdLiteral(((Reply.Text) reply).raw());
        if (!id.accepts(idLiteral)) {
            throw new CheckFailed(expected, "id " + idLiteral + ": " + reply.describe());
        }
        return obj.get("result");
    }

    /** The reply is one response object (result or error) with this id. */
    static JsonNode answered(Reply reply, Id id, String expected) {
        JsonNode obj = object(reply, expected);
        envelope(obj, expected, reply.describe());
        if (obj.has("result") == obj.has("error")) {
            throw new CheckFailed(expected, "not exactly one of result and error: " + reply.describe());
        }
        String idLiteral = topLevelIdLiteral(((Reply.Text) reply).raw());
        if (!id.accepts(idLiteral)) {
            throw new CheckFailed(expected, "id " + idLiteral + ": " + reply.describe());
        }
        return obj;
    }

    static void silence(Reply reply, String expected) {
        if (!(reply instanceof Reply.Silence)) {
            throw new CheckFailed(expected, reply.describe());
        }
    }

    private static void envelope(JsonNode obj, String expected, String shown) {
        if (!"2.0".equals(obj.path("jsonrpc").asText(null)) || !obj.path("jsonrpc").isTextual()) {
            throw new CheckFailed(expected + " in a jsonrpc \"2.0\" reply", shown);
        }
        if (!obj.has("id")) {
            throw new CheckFailed(expected, "no id member: " + shown);
        }
    }

    /** The id member of a top-level object exactly as written: {@code 1.50}, {@code "abc"}, {@code null}. */
    static String topLevelIdLiteral(String raw) {
        try (JsonParser p = JSON.getFactory().createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "(not an object)";
            }
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                if ("id".equals(field)) {
                    return switch (t) {
                        case VALUE_STRING -> JSON.writeValueAsString(p.getText());
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_NULL, VALUE_TRUE, VALUE_FALSE -> p.getText();
                        default -> "(a JSON " + t + ")";
                    };
                }
                p.skipChildren();
            }
            return "(no id member)";
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    static String literal(JsonNode id) {
        if (id == null) {
            return "(no id member)";
        }
        return id.toString();
    }

    static void that(boolean condition, String expected, String got) {
        if (!condition) {
            throw new CheckFailed(expected, got);
        }
    }
}
