package dev.sessionrpc.server.transport;

import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --access-log}: one line per HTTP request and per WebSocket message, naming each
 * request's method and outcome ({@code ok} or the error's name) and how long the message took,
 * under the logger {@code dev.sessionrpc.server.access}. Never params or results: they hold
 * secrets. Method names are the client's text, so they are cut short and stripped of anything
 * but printable ASCII.
 */
public final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("dev.sessionrpc.server.access");
    private static final int MAX_METHOD_CHARS = 64;

    /** The access log that writes nothing, for when it is off. */
    public static final AccessLog OFF = new AccessLog(false);

    private final boolean on;

    private AccessLog(boolean on) {
        this.on = on;
    }

    public static AccessLog of(boolean on) {
        return on ? new AccessLog(true) : OFF;
    }

    /** The moment a message arrived, to pass back to {@link #answered}; free when the log is off. */
    long start() {
        return on ? System.nanoTime() : 0;
    }

    /** Logs one message and what it earned ({@code reply} null when nothing was owed). */
    void answered(Channel ch, String transport, DecodedMessage message, JsonRpcProcessor.Reply reply, long startNanos) {
        if (!on || !log.isInfoEnabled()) {
            return;
        }
        String took = String.format(Locale.ROOT, "%.3f", (System.nanoTime() - startNanos) / 1e6);
        ConnectionLog.about(ch, log.atInfo()).log("{} {} {} {} ms", ConnectionLog.name(ch), transport,
                describe(message, reply), took);
    }

    /** {@code method outcome} for each request, in order, as one line's middle. */
    static String describe(DecodedMessage message, JsonRpcProcessor.Reply reply) {
        if (message.isFailure()) {
            return "- " + message.failure().error().name();
        }
        List<String> parts = new ArrayList<>(message.entries().size());
        for (DecodedMessage.Entry entry : message.entries()) {
            if (entry.invalid() != null) {
                parts.add("- " + entry.invalid().error().name());
            } else {
                parts.add(printable(entry.request().method()) + " " + outcome(entry.request().id(), reply));
            }
        }
        String joined = String.join(", ", parts);
        return message.batch() ? "[" + joined + "]" : joined;
    }

    private static String outcome(RequestId id, JsonRpcProcessor.Reply reply) {
        if (id == null) {
            return "notification";
        }
        if (reply != null) {
            for (JsonRpcResponse response : reply.responses()) {
                if (response.id().equals(id)) {
                    return response.isError() ? response.error().name() : "ok";
                }
            }
        }
        return "unanswered";
    }

    private static String printable(String method) {
        StringBuilder out = new StringBuilder(Math.min(method.length(), MAX_METHOD_CHARS));
        for (int i = 0; i < method.length() && out.length() < MAX_METHOD_CHARS; i++) {
            char c = method.charAt(i);
            out.append(c > 0x20 && c < 0x7f ? c : '?');
        }
        return method.length() > MAX_METHOD_CHARS ? out + "..." : out.toString();
    }
}
