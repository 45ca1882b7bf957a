package dev.sessionrpc.server;

import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * Runs a graceful shutdown when the JVM is asked to stop (SIGTERM, SIGINT), then ends the
 * process with status 0. Left to itself the JVM would report 143 or 130 for those signals,
 * which process supervisors read as a crash; a drained server has stopped cleanly. Should the
 * shutdown itself hang (event loops wedged by a fault), a watchdog ends the process with status
 * 1 a few seconds after the shutdown timeout, so a stop request is always obeyed.
 */
final class Signals {

    /** Time past the shutdown timeout that closing sockets and event loops may take. */
    static final Duration WATCHDOG_MARGIN = Duration.ofSeconds(5);

    private Signals() {
    }

    static void onTermination(Runnable shutdown, Duration shutdownTimeout) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(shutdownTimeout.plus(WATCHDOG_MARGIN).toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                LoggerFactory.getLogger(Signals.class).error("shutdown did not finish within {} s; ending the process",
                        shutdownTimeout.plus(WATCHDOG_MARGIN).toSeconds());
                Runtime.getRuntime().halt(1);
            }, "rpc-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            shutdown.run();
            Runtime.getRuntime().halt(0);
        }, "rpc-shutdown"));
    }
}
