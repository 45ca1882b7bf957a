package dev.sessionrpc.client.conformance;

/**
 * What a server did with one message, as the suite observed it on the wire. Every kind can
 * describe itself for the "got" half of a failure line.
 */
public sealed interface Reply {

    int MAX_SHOWN = 300;

    /** A person-readable account of what came back. */
    String describe();

    /** A reply message (a text frame, or an HTTP 200 body), exactly as received. */
    record Text(String raw, boolean binaryFrame) implements Reply {
        public Text(String raw) {
            this(raw, false);
        }

        @Override
        public String describe() {
            return (binaryFrame ? "binary frame " : "") + shorten(raw);
        }
    }

    /** Nothing came back (WebSocket: proved by a later reply; HTTP: 204). */
    record Silence() implements Reply {
        @Override
        public String describe() {
            return "no reply";
        }
    }

    /** The WebSocket was closed by the server. */
    record Closed(int status, String reason) implements Reply {
        @Override
        public String describe() {
            return status < 0 ? "connection closed without a close frame"
                    : "WebSocket close " + status + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    /** An HTTP answer other than 200 with a body or 204. */
    record HttpStatus(int status, String body) implements Reply {
        @Override
        public String describe() {
            return "HTTP " + status + (body == null || body.isEmpty() ? "" : " " + shorten(body));
        }
    }

    /** Nothing came back within the time the suite waits. */
    record NoReply(long waitedMillis) implements Reply {
        @Override
        public String describe() {
            return "no reply within " + waitedMillis + " ms";
        }
    }

    /** The exchange itself failed (connection refused, I/O error). */
    record Failure(String description) implements Reply {
        @Override
        public String describe() {
            return "transport failure: " + description;
        }
    }

    static String shorten(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN) + "... (" + s.length() + " chars)";
    }
}
