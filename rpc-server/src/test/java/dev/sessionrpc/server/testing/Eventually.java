package dev.sessionrpc.server.testing;

import java.util.function.BooleanSupplier;

/**
 * Waits for a condition the server reaches on its own threads: polls it every few milliseconds
 * and fails, naming it, when it does not hold within {@link TestWebSocket#WAIT}. The one way the
 * tests wait on a real server; never a fixed sleep.
 */
public final class Eventually {

    private static final long POLL_MILLIS = 10;

    private Eventually() {
    }

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TestWebSocket.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + TestWebSocket.WAIT.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    /** {@link #until} for a check that throws (an AssertionError or an exception) until it holds. */
    public static void succeeds(String what, ThrowingCheck check) {
        until(what, () -> {
            try {
                check.run();
                return true;
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
    }

    @FunctionalInterface
    public interface ThrowingCheck {
        void run() throws Exception;
    }
}
