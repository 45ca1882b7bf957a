package dev.sessionrpc.bench;

import dev.sessionrpc.bench.echo.EchoServerCommand;
import dev.sessionrpc.bench.footprint.IdleCommand;
import dev.sessionrpc.bench.load.LoadCommand;
import dev.sessionrpc.bench.profile.JfrTopCommand;
import dev.sessionrpc.bench.report.LatencyReportCommand;
import dev.sessionrpc.bench.report.ReportCommand;
import dev.sessionrpc.bench.soak.SoakCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar rpc-bench.jar <command>}: the measuring tools behind docs/BENCHMARKS.md.
 * {@code jmh} hands its arguments to JMH's own runner, so every JMH option works.
 */
@Command(name = "rpc-bench", mixinStandardHelpOptions = true, version = "rpc-bench 0.1.0",
        description = "Load generator, echo ceiling, idle-connection holder, JMH runner and report tools.",
        subcommands = {LoadCommand.class, SoakCommand.class, EchoServerCommand.class, IdleCommand.class, ReportCommand.class,
                LatencyReportCommand.class, JfrTopCommand.class, BenchCommand.Jmh.class, FreePortCommand.Free.class, FreePortCommand.Wait.class})
public final class BenchCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    /** Runs JMH with the given arguments (e.g. {@code jmh Codec -f 1 -wi 3 -i 5}). */
    @Command(name = "jmh", description = "Run the JMH benchmarks; arguments go to org.openjdk.jmh.Main (try: jmh -h).")
    public static final class Jmh implements Callable<Integer> {
        @Parameters(arity = "0..*", description = "JMH arguments.")
        String[] args = new String[0];

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(args);
            return 0;
        }
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.getSubcommands().get("jmh").setUnmatchedArgumentsAllowed(true).setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("rpc-bench: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
