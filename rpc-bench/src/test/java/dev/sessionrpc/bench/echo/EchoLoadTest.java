package dev.sessionrpc.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.bench.load.LoadCommand;
import dev.sessionrpc.bench.load.LoadResult;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The generator against the echo ceiling on a real socket: every request answered, nothing lost. No timing is asserted. */
class EchoLoadTest {

    @Test
    void everyEchoedRequestIsAccountedFor() throws Exception {
        try (EchoServer echo = new EchoServer("127.0.0.1", 0, 1)) {
            LoadCommand load = new LoadCommand();
            new CommandLine(load).parseArgs("--url", "ws://127.0.0.1:" + echo.port() + "/rpc", "--method", "echo",
                    "-c", "4", "-p", "8", "--warmup", "0", "--duration", "300ms");
            LoadResult r = load.run();
            assertThat(r.requests()).isPositive();
            assertThat(r.totalFailures()).isZero();
            assertThat(r.totalOk()).isEqualTo(r.totalSent());
            assertThat(r.latencyCount()).isPositive();
        }
    }

    @Test
    void openLoopRunsStopByThemselvesAndCountEverything() throws Exception {
        try (EchoServer echo = new EchoServer("127.0.0.1", 0, 1)) {
            LoadCommand load = new LoadCommand();
            new CommandLine(load).parseArgs("--url", "ws://127.0.0.1:" + echo.port() + "/rpc", "--method", "echo",
                    "-c", "2", "-p", "4", "--rate", "200", "--warmup", "0", "--duration", "300ms");
            LoadResult r = load.run();
            // requests still due but unsent at the end are possible on a cold JVM, and reported as unsent
            assertThat(r.totalFailures()).isEqualTo(r.unsent());
            assertThat(r.errors() + r.timeouts() + r.malformed() + r.unexpected() + r.invalid()).isZero();
            assertThat(r.totalOk()).isEqualTo(r.totalSent()).isPositive();
        }
    }
}
