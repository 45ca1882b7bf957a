package dev.sessionrpc.server;

import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.function.IntConsumer;
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
        Runtime.getRuntime().addShutdownHook(new Thread(
                shutdownHook(shutdown, shutdownTimeout.plus(WATCHDOG_MARGIN), Signals::flushLogsAndHalt), "rpc-shutdown"));
    }

    /** Ends the process after writing out the log lines still queued for the console. */
    private static void flushLogsAndHalt(int status) {
        flushLogs();
        Runtime.getRuntime().halt(status);
    }

    /** Stops logback, whose asynchronous appender then writes out what it holds (for at most a second). */
    static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.stop();
        }
    }

    /**
     * Runs {@code shutdown} and then ends the process with 0; should it take longer than
     * {@code limit}, a watchdog ends the process with 1 instead.
     */
    static Runnable shutdownHook(Runnable shutdown, Duration limit, IntConsumer halt) {
        return () -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(limit.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                LoggerFactory.getLogger(Signals.class).error("shutdown did not finish within {} ms; ending the process",
                        limit.toMillis());
                halt.accept(1);
            }, "rpc-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            shutdown.run();
            watchdog.interrupt();
            halt.accept(0);
        };
    }
}
