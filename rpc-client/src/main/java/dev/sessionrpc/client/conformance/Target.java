package dev.sessionrpc.client.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the suite knows about the server under test, all of it from the command line: a method
 * it implements (with params it accepts) and the limits it advertises. Nothing else.
 */
record Target(String method, JsonNode params, int maxBatchLength, int maxMessageBytes) {

    /** A request to the known method with this id literal ({@code 7}, {@code "a"}, {@code null}). */
    String request(String idLiteral) {
        return "{\"jsonrpc\":\"2.0\",\"method\":" + quote(method) + paramsMember() + ",\"id\":" + idLiteral + "}";
    }

    /** A notification of the known method. */
    String notification() {
        return "{\"jsonrpc\":\"2.0\",\"method\":" + quote(method) + paramsMember() + "}";
    }

    String methodJson() {
        return quote(method);
    }

    private String paramsMember() {
        return params == null ? "" : ",\"params\":" + params;
    }

    static String quote(String s) {
        try {
            return Expect.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
