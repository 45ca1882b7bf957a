package dev.sessionrpc.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rpc-bench report}: reads the {@code --json} lines of several load runs and prints one
 * table, then the ratio line: our {@code session.get} against the echo ceiling, the Node peer
 * and the Go peer. With several rounds per label the median round counts, so one disturbed round
 * on a shared machine does not decide the ratio. A label that did not run gives a ratio of 0.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print a table of load results (JSON lines) and the RATIO line.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(description = "Files of JSON lines from 'load --json'.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--ours", defaultValue = "rpc-server", description = "Label of our server. Default: ${DEFAULT-VALUE}")
    String ours;

    @Option(names = "--echo", defaultValue = "echo", description = "Label of the echo ceiling. Default: ${DEFAULT-VALUE}")
    String echo;

    @Option(names = "--peer", defaultValue = "peer", description = "Label of the Node peer. Default: ${DEFAULT-VALUE}")
    String peer;

    @Option(names = "--go", defaultValue = "go", description = "Label of the Go peer. Default: ${DEFAULT-VALUE}")
    String go;

    @Option(names = "--ours-info", defaultValue = "rpc-server-info",
            description = "Label of our server under help.get_server_information (its ratio to the echo is shown when it ran). Default: ${DEFAULT-VALUE}")
    String oursInfo;

    @Spec
    CommandSpec spec;

    /** The median; with an even count the lower of the two middle values. */
    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** {@code a / b}, or 0 when {@code b} did not run. */
    private static double ratio(Map<String, Double> values, String a, String b) {
        double denominator = values.getOrDefault(b, 0.0);
        return denominator > 0 ? values.getOrDefault(a, 0.0) / denominator : 0.0;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, List<JsonNode>> byLabel = new LinkedHashMap<>();
        for (JsonNode n : LoadResults.read(files)) {
            byLabel.computeIfAbsent(n.path("label").asText("?"), k -> new ArrayList<>()).add(n);
        }
        out.printf(Locale.ROOT, "%-15s %-12s %5s %8s %9s %6s %6s %10s %8s %8s %8s %8s %8s %6s%n",
                "server", "method", "round", "conn x P", "req/s", "srvCPU", "genCPU", "req/CPU-s",
                "p50 ms", "p90 ms", "p99 ms", "p99.9", "max ms", "fails");
        Map<String, Double> median = new LinkedHashMap<>();
        Map<String, Double> medianPerCpu = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonNode>> e : byLabel.entrySet()) {
            List<Double> rates = new ArrayList<>();
            List<Double> perCpu = new ArrayList<>();
            int round = 1;
            for (JsonNode n : e.getValue()) {
                long fails = LoadResults.failures(n);
                double seconds = n.path("duration_s").asDouble(1);
                out.printf(Locale.ROOT, "%-15s %-12s %5d %8s %9.0f %5.0f%% %5.0f%% %10.0f %8.3f %8.3f %8.3f %8.3f %8.3f %6d%n",
                        e.getKey(), n.path("method").asText(), round++,
                        n.path("connections").asInt() + "x" + n.path("pipeline").asInt(),
                        n.path("rps").asDouble(),
                        100 * n.path("server_cpu_s").asDouble(-1) / seconds,
                        100 * n.path("generator_cpu_s").asDouble(-1) / seconds,
                        n.path("requests_per_server_cpu_s").asDouble(-1),
                        n.path("p50_ms").asDouble(), n.path("p90_ms").asDouble(),
                        n.path("p99_ms").asDouble(), n.path("p999_ms").asDouble(), n.path("max_ms").asDouble(), fails);
                rates.add(fails == 0 ? n.path("rps").asDouble() : 0.0);
                perCpu.add(fails == 0 ? n.path("requests_per_server_cpu_s").asDouble(-1) : 0.0);
            }
            median.put(e.getKey(), median(rates));
            medianPerCpu.put(e.getKey(), median(perCpu));
        }
        out.println();
        median.forEach((k, v) -> out.printf(Locale.ROOT, "median %-15s %9.0f req/s %10.0f req per server CPU-second%n",
                k, v, medianPerCpu.get(k)));
        out.printf(Locale.ROOT, "per server CPU-second: session.get/echo=%.2f session.get/peer=%.2f session.get/go=%.2f%s%n",
                ratio(medianPerCpu, ours, echo), ratio(medianPerCpu, ours, peer), ratio(medianPerCpu, ours, go),
                medianPerCpu.containsKey(oursInfo)
                        ? String.format(Locale.ROOT, " help.get_server_information/echo=%.2f", ratio(medianPerCpu, oursInfo, echo))
                        : "");
        out.printf(Locale.ROOT, "RATIO session.get/echo=%.2f session.get/peer=%.2f session.get/go=%.2f%n",
                ratio(median, ours, echo), ratio(median, ours, peer), ratio(median, ours, go));
        out.flush();
        return 0;
    }
}
