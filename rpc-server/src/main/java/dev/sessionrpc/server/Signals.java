package dev.sessionrpc.server;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a graceful shutdown on SIGTERM or SIGINT, once. The JVM's own handling of those signals
 * ends the process with status 143/130; catching them lets the server drain and exit 0.
 */
final class Signals {

    private Signals() {
    }

    @SuppressWarnings("removal")
    static void onTermination(Runnable shutdown) {
        AtomicBoolean started = new AtomicBoolean();
        Runnable once = () -> {
            if (started.compareAndSet(false, true)) {
                Thread t = new Thread(shutdown, "rpc-shutdown");
                t.start();
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> once.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "rpc-shutdown-hook"));
            }
        }
    }
}
