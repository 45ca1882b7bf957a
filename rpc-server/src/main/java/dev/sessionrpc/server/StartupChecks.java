package dev.sessionrpc.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server checks about its process when it starts, each a single line when it finds a
 * problem: a connection limit that the open-file limit makes unreachable (the server would hit
 * "Too many open files" long before refusing anyone cleanly), and a JVM that would live on
 * half-dead after an OutOfMemoryError instead of ending.
 */
final class StartupChecks {

    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);
    /** Descriptors the process needs besides connections: jars, the listening socket, epoll, logs. */
    static final long RESERVED_FILES = 64;

    private StartupChecks() {
    }

    static void run(ServerConfig config) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            fileLimitWarning(config.maxConnections(), unix.getMaxFileDescriptorCount()).ifPresent(log::warn);
        }
        if (!exitsOnOutOfMemory()) {
            log.warn("the JVM was started without -XX:+ExitOnOutOfMemoryError: after an OutOfMemoryError it would "
                    + "live on half-dead; start it with that flag (the README's command does)");
        }
    }

    /** The line to log when {@code maxConnections} cannot be reached under {@code fileLimit}. */
    static Optional<String> fileLimitWarning(int maxConnections, long fileLimit) {
        if (maxConnections + RESERVED_FILES <= fileLimit) {
            return Optional.empty();
        }
        return Optional.of("--max-connections " + maxConnections + " cannot be reached: the process may open "
                + fileLimit + " files (ulimit -n) and needs about " + RESERVED_FILES
                + " besides connections; raise the limit to " + (maxConnections + RESERVED_FILES)
                + " or lower --max-connections to " + Math.max(1, fileLimit - RESERVED_FILES));
    }

    private static boolean exitsOnOutOfMemory() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot == null
                    || Boolean.parseBoolean(hotspot.getVMOption("ExitOnOutOfMemoryError").getValue())
                    || Boolean.parseBoolean(hotspot.getVMOption("CrashOnOutOfMemoryError").getValue());
        } catch (IllegalArgumentException e) {
            return true; // not HotSpot: nothing to say
        }
    }
}
