package dev.sessionrpc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LatencyReportCommandTest {

    @TempDir
    Path dir;

    private static String run(String label, int rate, double p99) {
        return "{\"label\":\"" + label + "\",\"rate\":" + rate + ".0,\"rps\":" + rate + ",\"p50_ms\":0.1,\"p99_ms\":" + p99
                + ",\"p999_ms\":" + 2 * p99 + ",\"max_ms\":" + 3 * p99 + ",\"unsent\":0}";
    }

    private List<String> report(String... lines) throws Exception {
        Path results = Files.write(dir.resolve("latency.jsonl"), List.of(lines));
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new LatencyReportCommand()).setOut(new PrintWriter(out)).execute(results.toString());
        assertThat(exit).isZero();
        return out.toString().lines().toList();
    }

    @Test
    void theLastLineIsOurP99OverTheEchosAtEachRateFromTheMedianRounds() throws Exception {
        List<String> lines = report(
                run("echo", 50_000, 1.0), run("rpc-server", 50_000, 3.0), run("go", 50_000, 9.0),
                run("echo", 20_000, 0.5), run("rpc-server", 20_000, 0.6),
                run("echo", 50_000, 2.0), run("rpc-server", 50_000, 4.0),
                run("echo", 50_000, 8.0), run("rpc-server", 50_000, 40.0));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("LATENCY p99 rpc-server/echo: 20000=1.20 50000=2.00");
        assertThat(lines).contains("p99 rpc-server/echo at 50000 req/s: 2.00");
    }

    @Test
    void eachServerAndRateShowsItsMedianRoundsPercentiles() throws Exception {
        List<String> lines = report(run("go", 20_000, 1.0), run("go", 20_000, 5.0), run("go", 20_000, 3.0));
        assertThat(lines).anySatisfy(l -> assertThat(l.split(" +"))
                .containsExactly("go", "20000", "3", "20000", "0.100", "3.000", "6.000", "9.000", "0"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("LATENCY p99 rpc-server/echo: 20000=0.00");
    }
}
