package dev.sessionrpc.client.conformance;

import static dev.sessionrpc.client.conformance.Expect.err;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.client.conformance.Check.Group;
import dev.sessionrpc.client.conformance.Expect.Id;
import java.util.ArrayList;
import java.util.List;

/**
 * PROTOCOL.md's rules beyond JSON-RPC 2.0: every error names itself in {@code data.name}, batch
 * replies keep request order, {@code rpc.} names are reserved, the size, batch, depth and
 * duplicate-key limits, and the transport details of WebSocket and HTTP.
 */
final class ProtocolChecks {

    private static final Group G = Group.PROTOCOL;
    private static final int DEEP_NESTING = 500;

    private ProtocolChecks() {
    }

    static List<Check> all(Target t) {
        List<Check> checks = new ArrayList<>();
        String m = t.methodJson();

        checks.add(Check.of(G, "a parse error names ParseError in data.name", p ->
                Expect.error(p.exchange("{not json"), err(-32700, "ParseError", Id.NULL))));
        checks.add(Check.of(G, "an invalid request names InvalidRequest in data.name", p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"id\":31}"), err(-32600, "InvalidRequest", Id.of("31")))));
        checks.add(Check.of(G, "an unknown method names MethodNotFound in data.name", p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":\"" + JsonRpcChecks.UNKNOWN_METHOD + "\",\"id\":32}"),
                        err(-32601, "MethodNotFound", Id.of("32")))));
        checks.add(Check.of(G, "method names beginning with rpc. are reserved: -32601", p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.conformance\",\"id\":33}"),
                        err(-32601, "MethodNotFound", Id.of("33")))));
        checks.add(Check.of(G, "batch replies come in the order of the requests", p -> {
            String batch = "[" + t.request("\"first\"") + ",{\"foo\":\"boo\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"" + JsonRpcChecks.UNKNOWN_METHOD + "\",\"id\":\"third\"},"
                    + t.notification() + "," + t.request("\"fifth\"") + "]";
            String expected = "replies with ids \"first\", null, \"third\", \"fifth\" in that order";
            JsonNode replies = Expect.array(p.exchange(batch), 4, expected);
            List<String> ids = new ArrayList<>();
            replies.forEach(r -> ids.add(Expect.literal(r.get("id"))));
            Expect.that(ids.equals(List.of("\"first\"", "null", "\"third\"", "\"fifth\"")), expected, "ids " + ids);
        }));
        checks.add(Check.of(G, "a batch of " + t.maxBatchLength() + " requests (the limit) gets "
                + t.maxBatchLength() + " replies", p -> {
            String expected = "an array of " + t.maxBatchLength() + " replies";
            Expect.array(p.exchange(batchOf(t, t.maxBatchLength())), t.maxBatchLength(), expected);
        }));
        checks.add(Check.of(G, "a batch of " + (t.maxBatchLength() + 1) + " requests gets one -32600 object with id null", p ->
                Expect.error(p.exchange(batchOf(t, t.maxBatchLength() + 1)), err(-32600, "InvalidRequest", Id.NULL))));
        checks.add(Check.of(G, "JSON nested " + DEEP_NESTING + " levels deep gets -32700", p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":" + m + ",\"params\":"
                        + "[".repeat(DEEP_NESTING) + "]".repeat(DEEP_NESTING) + ",\"id\":34}"),
                        err(-32700, "ParseError", Id.NULL))));
        checks.add(Check.of(G, "an object with a duplicate key gets -32700", p ->
                Expect.error(p.exchange("{\"jsonrpc\":\"2.0\",\"method\":" + m + ",\"id\":35,\"id\":36}"),
                        err(-32700, "ParseError", Id.NULL))));

        checks.add(new Check(G, "a parse error leaves the WebSocket open for the next request", Check.WS, p -> {
            Expect.error(p.exchange("{not json"), err(-32700, null, Id.NULL));
            Expect.answered(p.exchange(t.request("37")), Id.of("37"), "the next request answered on the same socket");
        }));
        checks.add(new Check(G, "a binary message is answered like a text one, in a text frame", Check.WS, p ->
                Expect.answered(((WebSocketProbe) p).exchangeBinary(t.request("38")), Id.of("38"),
                        "a reply with id 38")));
        checks.add(new Check(G, "a message over " + t.maxMessageBytes() + " bytes closes the WebSocket with 1009", Check.WS, p -> {
            Reply r = p.exchange(oversized(t));
            Expect.that(r instanceof Reply.Closed c && c.status() == 1009, "WebSocket close 1009", r.describe());
        }));
        checks.add(new Check(G, "a body over " + t.maxMessageBytes() + " bytes gets HTTP 413", Check.HTTP, p -> {
            Reply r = p.exchange(oversized(t));
            Expect.that(r instanceof Reply.HttpStatus s && s.status() == 413, "HTTP 413", r.describe());
        }));
        checks.add(new Check(G, "a POST with Content-Type text/plain gets HTTP 415", Check.HTTP, p -> {
            Reply r = ((HttpProbe) p).send("POST", "text/plain", t.request("39"));
            Expect.that(r instanceof Reply.HttpStatus s && s.status() == 415, "HTTP 415", r.describe());
        }));
        checks.add(new Check(G, "a PUT to the JSON-RPC address gets HTTP 405", Check.HTTP, p -> {
            Reply r = ((HttpProbe) p).send("PUT", "application/json", t.request("40"));
            Expect.that(r instanceof Reply.HttpStatus s && s.status() == 405, "HTTP 405", r.describe());
        }));
        checks.add(new Check(G, "Content-Type application/json-rpc is accepted", Check.HTTP, p ->
                Expect.answered(((HttpProbe) p).send("POST", "application/json-rpc", t.request("41")), Id.of("41"),
                        "a reply with id 41")));
        return checks;
    }

    private static String batchOf(Target t, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(t.request(Integer.toString(1000 + i)));
        }
        return sb.append(']').toString();
    }

    private static String oversized(Target t) {
        String head = "{\"jsonrpc\":\"2.0\",\"method\":" + t.methodJson() + ",\"params\":{\"padding\":\"";
        String tail = "\"},\"id\":42}";
        return head + "x".repeat(t.maxMessageBytes() + 1024 - head.length() - tail.length()) + tail;
    }
}
