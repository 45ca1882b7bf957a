package dev.sessionrpc.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, from {@code /proc/<pid>/stat} (user + system, all threads). On a
 * shared machine the throughput of a pinned server also depends on who else runs on its core;
 * requests per CPU-second of the server does not, so the generator reports both.
 */
final class ProcessCpu {

    /** Clock ticks per second of /proc; 100 on every Linux we run on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** Seconds of CPU used so far, or -1 when the process or /proc is not there. */
    static double seconds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's own CPU seconds. */
    static double self() {
        return seconds(ProcessHandle.current().pid());
    }
}
