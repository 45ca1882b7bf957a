package dev.sessionrpc.bench.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;
import java.util.Map;

/**
 * What one load run measured, as printed for people and as {@code --json} for machines.
 * Latencies are milliseconds; {@code window} counts are from the measured window only, {@code
 * total} counts cover the whole run (setup, warm-up and drain included).
 */
@JsonPropertyOrder({"label", "url", "method", "connections", "pipeline", "rate", "warmup_s", "duration_s",
        "requests", "rps", "errors", "timeouts", "malformed", "unexpected", "invalid", "unsent", "error_codes",
        "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "latency_count", "total_sent", "total_ok", "total_failures", "server_cpu_s",
        "requests_per_server_cpu_s", "generator_cpu_s", "from_send"})
public record LoadResult(
        @JsonProperty("label") String label,
        @JsonProperty("url") String url,
        @JsonProperty("method") String method,
        @JsonProperty("connections") int connections,
        @JsonProperty("pipeline") int pipeline,
        @JsonProperty("rate") double rate,
        @JsonProperty("warmup_s") double warmupSeconds,
        @JsonProperty("duration_s") double durationSeconds,
        @JsonProperty("requests") long requests,
        @JsonProperty("rps") double rps,
        @JsonProperty("errors") long errors,
        @JsonProperty("timeouts") long timeouts,
        @JsonProperty("malformed") long malformed,
        @JsonProperty("unexpected") long unexpected,
        @JsonProperty("invalid") long invalid,
        @JsonProperty("unsent") long unsent,
        @JsonProperty("error_codes") Map<Integer, Long> errorCodes,
        @JsonProperty("p50_ms") double p50,
        @JsonProperty("p90_ms") double p90,
        @JsonProperty("p99_ms") double p99,
        @JsonProperty("p999_ms") double p999,
        @JsonProperty("max_ms") double max,
        @JsonProperty("latency_count") long latencyCount,
        @JsonProperty("total_sent") long totalSent,
        @JsonProperty("total_ok") long totalOk,
        @JsonProperty("total_failures") long totalFailures,
        @JsonProperty("server_cpu_s") double serverCpuSeconds,
        @JsonProperty("requests_per_server_cpu_s") double requestsPerServerCpuSecond,
        @JsonProperty("generator_cpu_s") double generatorCpuSeconds,
        @JsonProperty("from_send") Percentiles fromSend) {

    /** Open loop: latency counted from the actual send instead of the intended one (ms). */
    public record Percentiles(@JsonProperty("p50_ms") double p50, @JsonProperty("p99_ms") double p99,
                              @JsonProperty("p999_ms") double p999, @JsonProperty("max_ms") double max) {
    }

    /** The human summary: a few aligned lines. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s %s  %d connections x %d in flight%s, warm-up %.0f s, measured %.1f s%n",
                label == null ? "" : "[" + label + "]", method, connections, pipeline,
                rate > 0 ? String.format(Locale.ROOT, ", open loop at %.0f req/s", rate) : ", closed loop",
                warmupSeconds, durationSeconds));
        b.append(String.format(Locale.ROOT, "  requests/s %12.0f   (%d ok replies in the window)%n", rps, requests));
        b.append(String.format(Locale.ROOT, "  latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%d samples)%n",
                p50, p90, p99, p999, max, latencyCount));
        if (fromSend != null) {
            b.append(String.format(Locale.ROOT, "  (from the actual send instead: p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f; the difference is time a request waited in the generator)%n",
                    fromSend.p50(), fromSend.p99(), fromSend.p999(), fromSend.max()));
        }
        b.append(String.format(Locale.ROOT, "  errors %d  timeouts %d  malformed %d  unexpected-id %d  wrong %d  unsent %d%s%n",
                errors, timeouts, malformed, unexpected, invalid, unsent,
                errorCodes.isEmpty() ? "" : "  codes " + errorCodes));
        if (serverCpuSeconds >= 0) {
            b.append(String.format(Locale.ROOT, "  server CPU %.1f s in the window (%.0f%% of one core), %.0f requests per server CPU-second%n",
                    serverCpuSeconds, 100 * serverCpuSeconds / durationSeconds, requestsPerServerCpuSecond));
        }
        if (generatorCpuSeconds >= 0) {
            b.append(String.format(Locale.ROOT, "  generator CPU %.1f s in the window (%.0f%% of one core)%n",
                    generatorCpuSeconds, 100 * generatorCpuSeconds / durationSeconds));
        }
        b.append(String.format(Locale.ROOT, "  whole run: sent %d, ok %d, failures %d%n", totalSent, totalOk, totalFailures));
        return b.toString();
    }
}
