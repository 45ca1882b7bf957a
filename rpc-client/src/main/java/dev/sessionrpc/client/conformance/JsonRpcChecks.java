package dev.sessionrpc.client.conformance;

import static dev.sessionrpc.client.conformance.Expect.err;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.client.conformance.Check.Group;
import dev.sessionrpc.client.conformance.Expect.Id;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transport-neutral JSON-RPC 2.0 checks: only what the specification itself requires, so
 * that they can be pointed at any JSON-RPC server that implements one method the suite is told
 * about. Where the specification lets a server answer an unreadable request's id with null, the
 * checks accept null.
 */
final class JsonRpcChecks {

    private static final Group G = Group.JSONRPC;
    static final String UNKNOWN_METHOD = "conformance.no_such_method";

    private JsonRpcChecks() {
    }

    static List<Check> all(Target t) {
        List<Check> checks = new ArrayList<>();
        String m = t.methodJson();

        checks.add(Check.of(G, "the known method answers a request with its id", p ->
                Expect.answered(p.exchange(t.request("\"sanity\"")), Id.of("\"sanity\""),
                        "a result or an error with id \"sanity\"")));
        checks.add(Check.of(G, "text that is not JSON gets -32700 with id null", p ->
                Expect.error(p.exchange("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]"),
                        err(-32700, null, Id.NULL))));
        checks.add(Check.of(G, "a batch that is not JSON gets one -32700 object with id null", p ->
                Expect.error(p.exchange("[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},"
                        + "{\"jsonrpc\":\"2.0\",\"method\"]"), err(-32700, null, Id.NULL))));

        invalid(checks, "jsonrpc \"1.0\"", "{\"jsonrpc\":\"1.0\",\"method\":" + m + ",\"id\":11}", Id.ofOrNull("11"));
        invalid(checks, "no jsonrpc member", "{\"method\":" + m + ",\"id\":12}", Id.ofOrNull("12"));
        invalid(checks, "jsonrpc as the number 2.0", "{\"jsonrpc\":2.0,\"method\":" + m + ",\"id\":13}", Id.ofOrNull("13"));
        invalid(checks, "no method member", "{\"jsonrpc\":\"2.0\",\"id\":14}", Id.ofOrNull("14"));
        invalid(checks, "a method that is a number", "{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\",\"id\":15}", Id.ofOrNull("15"));
        invalid(checks, "params that are a number", "{\"jsonrpc\":\"2.0\",\"method\":" + m + ",\"params\":5,\"id\":16}", Id.ofOrNull("16"));
        invalid(checks, "params that are a string", "{\"jsonrpc\":\"2.0\",\"method\":" + m + ",\"params\":\"bar\",\"id\":17}", Id.ofOrNull("17"));
        invalid(checks, "an id that is an object", "{\"jsonrpc\":\"2.0\",\"method\":" + m + ",\"id\":{\"a\":1}}", Id.NULL);
        invalid(checks, "an id that is true", "{\"jsonrpc\":\"2.0\",\"method\":" + m + ",\"id\":true}", Id.NULL);
        invalid(checks, "the number 1 instead of an object", "1", Id.NULL);

        checks.add(Check.of(G, "an empty batch [] gets one -32600 object (not an array) with id null", p ->
                Expect.error(p.exchange("[]"), err(-32600, null, Id.NULL))));
        checks.add(Check.of(G, "the batch [1,2] gets an array of two -32600 errors with id null", p -> {
            String expected = "an array of two -32600 errors with id null";
            JsonNode replies = Expect.array(p.exchange("[1,2]"), 2, expected);
            for (JsonNode r : replies) {
                Expect.errorElement(r, err(-32600, null, Id.NULL), expected, replies.toString());
            }
        }));
        checks.add(Check.of(G, "a mixed batch gets one reply per request and none for its notification", p -> {
            String batch = "[" + t.request("\"a\"") + "," + t.notification() + ",{\"foo\":\"boo\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"" + UNKNOWN_METHOD + "\",\"id\":\"b\"}," + t.request("\"c\"") + "]";
            String expected = "4 replies: ids \"a\" and \"c\" answered, -32600 with id null for {\"foo\":\"boo\"}, "
                    + "-32601 for id \"b\"";
            JsonNode replies = Expect.array(p.exchange(batch), 4, expected);
            Map<String, JsonNode> byId = new HashMap<>();
            for (JsonNode r : replies) {
                byId.put(Expect.literal(r.get("id")), r);
            }
            Expect.that(byId.containsKey("\"a\"") && byId.containsKey("\"c\"") && byId.containsKey("\"b\"")
                    && byId.containsKey("null"), expected, replies.toString());
            Expect.errorElement(byId.get("null"), err(-32600, null, Id.NULL), expected, replies.toString());
            Expect.errorElement(byId.get("\"b\""), err(-32601, null, Id.of("\"b\"")), expected, replies.toString());
        }));

        checks.add(Check.of(G, "a notification gets no reply", p ->
                Expect.silence(p.exchangeExpectingSilence(t.notification()), "no reply")));
        checks.add(Check.of(G, "a notification of an unknown method gets no reply", p ->
                Expect.silence(p.exchangeExpectingSilence("{\"jsonrpc\":\"2.0\",\"method\":\"" + UNKNOWN_METHOD + "\"}"),
                        "no reply")));
        checks.add(Check.of(G, "a batch of only notifications gets no reply", p ->
                Expect.silence(p.exchangeExpectingSilence("[" + t.notification() + ","
                        + "{\"jsonrpc\":\"2.0\",\"method\":\"" + UNKNOWN_METHOD + "\"}]"), "no reply")));

        echo(checks, t, "12345678901234567890", "the same number, not rounded");
        echo(checks, t, "1.5", "the same number");
        echo(checks, t, "\"abc\"", "the same string");
        echo(checks, t, "-7", "the same number");
        checks.add(Check.of(G, "a request with id null is answered (it is not a notification) with id null", p ->
                Expect.answered(p.exchange(t.request("null")), Id.NULL, "a reply with id null")));
        checks.add(Check.of(G, "an unknown method gets -32601 with the request's id", p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":\"" + UNKNOWN_METHOD + "\",\"id\":21}"),
                        err(-32601, null, Id.of("21")))));
        return checks;
    }

    private static void invalid(List<Check> checks, String what, String message, Id id) {
        checks.add(Check.of(G, "a request with " + what + " gets -32600", p ->
                Expect.error(p.exchange(message), err(-32600, null, id))));
    }

    private static void echo(List<Check> checks, Target t, String id, String how) {
        checks.add(Check.of(G, "id " + id + " comes back as " + how, p ->
                Expect.answered(p.exchange(t.request(id)), Id.of(id), "a reply with id " + id + " exactly as sent")));
    }
}
