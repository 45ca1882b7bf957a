package dev.sessionrpc.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rpc-bench latency-report}: the open-loop runs of {@code latency.sh} as one table per
 * offered rate, p50, p99 and p99.9 counted from each request's intended send time, then our p99
 * over the echo's at each rate, the measure of issue 9. With several rounds of a server at a
 * rate, the round with the median p99 is shown, so one disturbed round does not decide.
 */
@Command(name = "latency-report", mixinStandardHelpOptions = true,
        description = "Print open-loop latency per server and rate (JSON lines of 'load --rate --json') and the LATENCY line.")
public final class LatencyReportCommand implements Callable<Integer> {

    @Parameters(description = "Files of JSON lines from 'load --rate ... --json'.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--ours", defaultValue = "rpc-server", description = "Label of our server. Default: ${DEFAULT-VALUE}")
    String ours;

    @Option(names = "--echo", defaultValue = "echo", description = "Label of the echo ceiling. Default: ${DEFAULT-VALUE}")
    String echo;

    @Spec
    CommandSpec spec;

    /** The round whose p99 is the median; with an even count the lower of the two middle ones. */
    private static JsonNode medianRound(List<JsonNode> rounds) {
        List<JsonNode> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(n -> n.path("p99_ms").asDouble()));
        return sorted.get((sorted.size() - 1) / 2);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<Long, Map<String, List<JsonNode>>> byRate = new TreeMap<>();
        for (JsonNode n : LoadResults.read(files)) {
            byRate.computeIfAbsent(Math.round(n.path("rate").asDouble()), r -> new LinkedHashMap<>())
                    .computeIfAbsent(n.path("label").asText("?"), l -> new ArrayList<>()).add(n);
        }
        out.printf(Locale.ROOT, "%-15s %8s %6s %9s %9s %9s %9s %9s %8s%n",
                "server", "offered", "rounds", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "fails");
        StringBuilder last = new StringBuilder("LATENCY p99 " + ours + "/" + echo + ":");
        for (Map.Entry<Long, Map<String, List<JsonNode>>> rate : byRate.entrySet()) {
            for (Map.Entry<String, List<JsonNode>> server : rate.getValue().entrySet()) {
                JsonNode n = medianRound(server.getValue());
                out.printf(Locale.ROOT, "%-15s %8d %6d %9.0f %9.3f %9.3f %9.3f %9.3f %8d%n",
                        server.getKey(), rate.getKey(), server.getValue().size(), n.path("rps").asDouble(),
                        n.path("p50_ms").asDouble(), n.path("p99_ms").asDouble(), n.path("p999_ms").asDouble(),
                        n.path("max_ms").asDouble(), LoadResults.failures(n));
            }
            double ourP99 = p99(rate.getValue().get(ours));
            double echoP99 = p99(rate.getValue().get(echo));
            double ratio = ourP99 > 0 && echoP99 > 0 ? ourP99 / echoP99 : 0.0;
            out.printf(Locale.ROOT, "p99 %s/%s at %d req/s: %.2f%n%n", ours, echo, rate.getKey(), ratio);
            last.append(String.format(Locale.ROOT, " %d=%.2f", rate.getKey(), ratio));
        }
        out.println(last);
        out.flush();
        return 0;
    }

    /** The median round's p99, or 0 when the server did not run at that rate. */
    private static double p99(List<JsonNode> rounds) {
        return rounds == null ? 0.0 : medianRound(rounds).path("p99_ms").asDouble();
    }
}
