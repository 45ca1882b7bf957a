package dev.sessionrpc.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rpc-bench report}: reads the {@code --json} lines of several load runs and prints one
 * table, then the ratio line. With several rounds per label the median round counts, so one
 * disturbed round on a shared machine does not decide the ratio.
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

    @Option(names = "--peer", defaultValue = "peer", description = "Label of the peer. Default: ${DEFAULT-VALUE}")
    String peer;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, List<JsonNode>> byLabel = new LinkedHashMap<>();
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                if (line.isBlank() || !line.trim().startsWith("{")) {
                    continue;
                }
                JsonNode n = mapper.readTree(line);
                byLabel.computeIfAbsent(n.path("label").asText("?"), k -> new ArrayList<>()).add(n);
            }
        }
        System.out.printf(Locale.ROOT, "%-12s %-15s %5s %9s %11s %8s %8s %8s %8s %8s %7s%n",
                "server", "method", "round", "conn x P", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9", "max ms", "fails");
        Map<String, Double> median = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonNode>> e : byLabel.entrySet()) {
            List<Double> rates = new ArrayList<>();
            int round = 1;
            for (JsonNode n : e.getValue()) {
                long fails = n.path("errors").asLong() + n.path("timeouts").asLong() + n.path("malformed").asLong()
                        + n.path("unexpected").asLong() + n.path("invalid").asLong() + n.path("unsent").asLong();
                System.out.printf(Locale.ROOT, "%-12s %-15s %5d %9s %11.0f %8.3f %8.3f %8.3f %8.3f %8.3f %7d%n",
                        e.getKey(), n.path("method").asText(), round++,
                        n.path("connections").asInt() + "x" + n.path("pipeline").asInt(),
                        n.path("rps").asDouble(), n.path("p50_ms").asDouble(), n.path("p90_ms").asDouble(),
                        n.path("p99_ms").asDouble(), n.path("p999_ms").asDouble(), n.path("max_ms").asDouble(), fails);
                rates.add(fails == 0 ? n.path("rps").asDouble() : 0.0);
            }
            rates.sort(Double::compare);
            median.put(e.getKey(), rates.get((rates.size() - 1) / 2));
        }
        System.out.println();
        median.forEach((k, v) -> System.out.printf(Locale.ROOT, "median req/s %-12s %11.0f%n", k, v));
        double o = median.getOrDefault(ours, 0.0);
        double ec = median.getOrDefault(echo, 0.0);
        double p = median.getOrDefault(peer, 0.0);
        System.out.printf(Locale.ROOT, "RATIO session.get/echo=%.2f session.get/peer=%.2f%n",
                ec > 0 ? o / ec : 0.0, p > 0 ? o / p : 0.0);
        return 0;
    }
}
