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

class ReportCommandTest {

    @TempDir
    Path dir;

    private static String run(String label, double rps, double perCpu, long errors) {
        return "{\"label\":\"" + label + "\",\"method\":\"m\",\"connections\":64,\"pipeline\":16,\"duration_s\":10,"
                + "\"rps\":" + rps + ",\"errors\":" + errors + ",\"server_cpu_s\":10,\"requests_per_server_cpu_s\":" + perCpu + "}";
    }

    private List<String> report(String... lines) throws Exception {
        Path results = Files.write(dir.resolve("results.jsonl"), List.of(lines));
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new ReportCommand()).setOut(new PrintWriter(out)).execute(results.toString());
        assertThat(exit).isZero();
        return out.toString().lines().toList();
    }

    @Test
    void theLastLineComparesOursWithTheEchoAndBothPeersByTheirMedianRounds() throws Exception {
        List<String> lines = report(
                run("echo", 200_000, 200_000, 0), run("rpc-server", 50_000, 60_000, 0), run("peer", 20_000, 25_000, 0),
                run("go", 40_000, 30_000, 0),
                run("echo", 100_000, 100_000, 0), run("rpc-server", 60_000, 60_000, 0), run("peer", 25_000, 25_000, 0),
                run("go", 25_000, 30_000, 0),
                run("echo", 300_000, 300_000, 0), run("rpc-server", 40_000, 60_000, 0), run("peer", 10_000, 25_000, 0),
                run("go", 20_000, 30_000, 0));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("RATIO session.get/echo=0.25 session.get/peer=2.50 session.get/go=2.00");
        assertThat(lines.get(lines.size() - 2))
                .isEqualTo("per server CPU-second: session.get/echo=0.30 session.get/peer=2.40 session.get/go=2.00");
    }

    @Test
    void aServerThatDidNotRunGivesARatioOfZeroAndAFailedRoundCountsAsZero() throws Exception {
        List<String> lines = report(run("echo", 100_000, 100_000, 0), run("rpc-server", 50_000, 50_000, 0),
                run("go", 25_000, 25_000, 3));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("RATIO session.get/echo=0.50 session.get/peer=0.00 session.get/go=0.00");
    }

    @Test
    void theServerInformationMethodIsComparedWithTheEchoWhenItRan() throws Exception {
        List<String> lines = report(run("echo", 100_000, 100_000, 0), run("rpc-server-info", 80_000, 85_000, 0));
        assertThat(lines.get(lines.size() - 2)).endsWith("help.get_server_information/echo=0.85");
    }
}
