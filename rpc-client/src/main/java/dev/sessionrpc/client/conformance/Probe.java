package dev.sessionrpc.client.conformance;

/**
 * One check's line to the server under test (a WebSocket of its own, or HTTP POSTs), through
 * which it sends raw messages and observes raw replies. Checks never share a probe, so one check's
 * leftover replies cannot pass or fail another.
 */
public interface Probe extends AutoCloseable {

    /** {@code "ws"} or {@code "http"}. */
    String transport();

    /** Sends one message and returns what came back (waiting up to the suite's reply timeout). */
    Reply exchange(String message);

    /**
     * Sends one message that must not be answered. On a WebSocket the suite waits a short,
     * bounded time and then sends a follow-up request: if the first thing back is the follow-up's
     * reply, nothing was sent for the message ({@link Reply.Silence}). Over HTTP this is
     * {@link #exchange} (a 204 is silence).
     */
    Reply exchangeExpectingSilence(String message);

    @Override
    void close();
}
