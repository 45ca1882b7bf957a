package dev.sessionrpc.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client for tests, on the JDK's {@link java.net.http.WebSocket}: whole text
 * messages land in a queue, the close code and reason are kept, binary messages are counted (a
 * JSON-RPC server must answer with text). The JDK answers pings with pongs by itself.
 */
public final class TestWebSocket implements AutoCloseable {

    /** How long the blocking helpers wait by default: generous, it only bounds a broken test. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final AtomicInteger binaryMessages = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final WebSocket socket;

    private TestWebSocket(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(WAIT)
                .buildAsync(uri, new Listener())
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    /** Opens {@code ws://127.0.0.1:port/rpc}; throws (a CompletionException) when the upgrade is refused. */
    public static TestWebSocket connect(int port) {
        return connect(URI.create("ws://127.0.0.1:" + port + "/rpc"));
    }

    public static TestWebSocket connect(URI uri) {
        return new TestWebSocket(uri);
    }

    /** Sends one text message and waits until it is handed to the socket. */
    public TestWebSocket send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return this;
    }

    /** Sends one text message in fragments: each part a frame, the last one final. */
    public TestWebSocket sendFragmented(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
        return this;
    }

    /** Sends one binary message. */
    public TestWebSocket sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return this;
    }

    /** The next text message, waiting up to {@link #WAIT}; fails when none comes. */
    public String receive() {
        String m = poll(WAIT);
        if (m == null) {
            throw new AssertionError("no message within " + WAIT + (closeCode.isDone() ? "; closed with " + closeCode.join() : ""));
        }
        return m;
    }

    /** The next text message within {@code wait}, or null. */
    public String poll(Duration wait) {
        try {
            return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends a message and returns the next text message received. */
    public String call(String text) {
        send(text);
        return receive();
    }

    /** The close code the server sent, waiting up to {@link #WAIT}. */
    public int awaitCloseCode() {
        return closeCode.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    public CompletableFuture<String> closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closeCode.isDone() || socket.isInputClosed();
    }

    public int binaryMessages() {
        return binaryMessages.get();
    }

    /** Pings received from the server (each answered with a pong by the JDK). */
    public int pings() {
        return pings.get();
    }

    /** Messages received and not yet taken. */
    public BlockingQueue<String> messages() {
        return messages;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                binaryMessages.incrementAndGet();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason.complete(reason);
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason.complete(error.toString());
            closeCode.complete(-1);
        }
    }
}
