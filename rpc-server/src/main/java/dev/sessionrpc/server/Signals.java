package dev.sessionrpc.server;

/**
 * Runs a graceful shutdown when the JVM is asked to stop (SIGTERM, SIGINT), then ends the
 * process with status 0. Left to itself the JVM would report 143 or 130 for those signals,
 * which process supervisors read as a crash; a drained server has stopped cleanly.
 */
final class Signals {

    private Signals() {
    }

    static void onTermination(Runnable shutdown) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.run();
            Runtime.getRuntime().halt(0);
        }, "rpc-shutdown"));
    }
}
