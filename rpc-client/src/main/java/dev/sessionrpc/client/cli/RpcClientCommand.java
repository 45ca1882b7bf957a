package dev.sessionrpc.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rpc-client} command line: one call ({@code call}), the challenge answer for scripts
 * that speak WebSocket themselves ({@code answer}), and the conformance suite
 * ({@code conformance}). Exit codes: 0 success, 1 error reply or failed check, 2 transport
 * failure, 64 invalid command line.
 */
@Command(name = "rpc-client", mixinStandardHelpOptions = true, version = "rpc-client 0.1.0",
        description = "JSON-RPC 2.0 session client: call a method, compute a challenge answer, or check a server's conformance.",
        subcommands = {CallCommand.class, AnswerCommand.class, ConformanceCommand.class})
public final class RpcClientCommand implements Runnable {

    /** Exit code of an invalid command line (BSD's EX_USAGE), kept apart from 2, a transport failure. */
    public static final int EXIT_USAGE = 64;
    public static final int EXIT_ERROR_REPLY = 1;
    public static final int EXIT_TRANSPORT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: call, answer or conformance");
    }

    /** The command line with every subcommand, usage errors mapped to {@link #EXIT_USAGE}. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new RpcClientCommand());
        cli.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE));
        return cli;
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/sessionrpc/client/cli/cli-logback.xml");
        }
        System.exit(newCommandLine().execute(args));
    }
}
