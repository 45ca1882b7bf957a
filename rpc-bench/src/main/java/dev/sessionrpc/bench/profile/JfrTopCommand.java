package dev.sessionrpc.bench.profile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpc-bench jfr-top}: the CPU profile of a JFR recording as two short lists, methods by
 * their own samples (self) and by the samples they appear in (total), optionally restricted to
 * threads whose name contains a given text (the server's event loop). async-profiler cannot be
 * installed here; JFR's execution samples are what we have.
 */
@Command(name = "jfr-top", mixinStandardHelpOptions = true,
        description = "Summarise jdk.ExecutionSample events of a .jfr file: top methods by self and total samples.")
public final class JfrTopCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The .jfr file.")
    Path file;

    @Option(names = "--top", defaultValue = "25", description = "Rows per list. Default: ${DEFAULT-VALUE}")
    int top;

    @Option(names = "--thread", description = "Only samples of threads whose name contains this.")
    String thread;

    @Option(names = "--total-filter", defaultValue = "dev.sessionrpc",
            description = "The total list shows methods whose class starts with this. Default: ${DEFAULT-VALUE}")
    String totalFilter;

    @Override
    public Integer call() throws Exception {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) {
                continue;
            }
            if (thread != null) {
                var t = e.getThread("sampledThread");
                if (t == null || t.getJavaName() == null || !t.getJavaName().contains(thread)) {
                    continue;
                }
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith(totalFilter) && seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples%s%n", samples, thread == null ? "" : " on threads *" + thread + "*");
        print("self", self, samples);
        print("total (" + totalFilter + "*)", total, samples);
        return 0;
    }

    private void print(String title, Map<String, Integer> counts, int samples) {
        System.out.println();
        System.out.println("-- " + title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "%6.2f%%  %6d  %s%n",
                        100.0 * e.getValue() / Math.max(1, samples), e.getValue(), e.getKey()));
    }

    private static String name(RecordedFrame f) {
        var m = f.getMethod();
        return m.getType().getName() + "." + m.getName();
    }
}
