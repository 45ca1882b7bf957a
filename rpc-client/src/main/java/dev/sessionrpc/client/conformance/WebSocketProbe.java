package dev.sessionrpc.client.conformance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sessionrpc.client.transport.WebSocketConnection;
import dev.sessionrpc.client.transport.WebSocketConnector;
import dev.sessionrpc.client.transport.WebSocketListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A probe over one WebSocket; every frame and the close status are queued as they arrive. */
final class WebSocketProbe implements Probe, WebSocketListener {

    static final String FOLLOW_UP_ID = "conformance-follow-up";
    private static final JsonFactory JSON = new JsonFactory();

    private final BlockingQueue<Reply> events = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private final Duration quietPeriod;
    private final WebSocketConnection connection;
    private final Reply openFailure;

    WebSocketProbe(WebSocketConnector connector, Duration timeout, Duration quietPeriod) {
        this.timeout = timeout;
        this.quietPeriod = quietPeriod;
        WebSocketConnection c = null;
        Reply failure = null;
        try {
            c = connector.connect(this).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new Reply.Failure("interrupted");
        } catch (ExecutionException e) {
            failure = new Reply.Failure("cannot open " + connector.uri() + ": " + e.getCause());
        } catch (TimeoutException e) {
            failure = new Reply.Failure("cannot open " + connector.uri() + " within " + timeout.toMillis() + " ms");
        }
        this.connection = c;
        this.openFailure = failure;
    }

    @Override
    public String transport() {
        return "ws";
    }

    @Override
    public Reply exchange(String message) {
        if (openFailure != null) {
            return openFailure;
        }
        connection.sendText(message);
        return next(timeout);
    }

    /** Sends a binary message holding the UTF-8 bytes of {@code message}. */
    Reply exchangeBinary(String message) {
        if (openFailure != null) {
            return openFailure;
        }
        connection.sendBinary(message.getBytes(StandardCharsets.UTF_8));
        return next(timeout);
    }

    @Override
    public Reply exchangeExpectingSilence(String message) {
        if (openFailure != null) {
            return openFailure;
        }
        connection.sendText(message);
        Reply early = next(quietPeriod);
        if (!(early instanceof Reply.NoReply)) {
            return early;
        }
        connection.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"conformance.follow_up\",\"id\":\"" + FOLLOW_UP_ID + "\"}");
        Reply first = next(timeout);
        if (first instanceof Reply.Text text && FOLLOW_UP_ID.equals(stringId(text.raw()))) {
            return new Reply.Silence();
        }
        if (first instanceof Reply.NoReply) {
            return new Reply.Failure("the follow-up request was not answered either, so silence cannot be proved");
        }
        return first;
    }

    private Reply next(Duration wait) {
        try {
            Reply r = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            return r != null ? r : new Reply.NoReply(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply.Failure("interrupted");
        }
    }

    /** The top-level string id of a reply object, or null. */
    private static String stringId(String raw) {
        try (JsonParser p = JSON.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                if ("id".equals(field)) {
                    return t == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void onMessage(WebSocketConnection c, byte[] payload, boolean binary) {
        events.add(new Reply.Text(new String(payload, StandardCharsets.UTF_8), binary));
    }

    @Override
    public void onClosed(WebSocketConnection c, int closeStatus, String closeReason, Throwable cause) {
        events.add(closeStatus >= 0 ? new Reply.Closed(closeStatus, closeReason)
                : cause != null ? new Reply.Failure("connection ended: " + cause) : new Reply.Closed(-1, null));
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
