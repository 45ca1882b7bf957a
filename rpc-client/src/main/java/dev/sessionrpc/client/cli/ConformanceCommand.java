package dev.sessionrpc.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.client.conformance.ConformanceSuite;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the conformance suite against a server and prints one line per check and a summary;
 * exits 1 when any check failed.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Check a server against PROTOCOL.md from outside: one line per check (PASS/FAIL name: expected vs got), "
                + "then 'N passed, M failed'. Exit 0 when every check passed, 1 otherwise.",
                "Parts: jsonrpc (JSON-RPC 2.0 only; works against any JSON-RPC server given --method), "
                        + "protocol (data.name, batch order, limits, transport rules), session (session.create/get, server information)."})
final class ConformanceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", description = "WebSocket address, e.g. ws://localhost:8080/rpc.")
    URI url;

    @Option(names = "--http-url", description = "HTTP address for POSTs, e.g. http://localhost:8080/rpc.")
    URI httpUrl;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "For wss:// and https://: trust the CA certificates in this PEM file instead of the JDK trust store (host names are still checked).")
    Path caFile;

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Run only these parts: jsonrpc, protocol, session (comma-separated). Default: all.")
    List<String> only = List.of();

    @Option(names = {"--method", "--echo-method"}, defaultValue = ConformanceSuite.Options.DEFAULT_METHOD,
            description = "A method the server implements, used where a check needs a request that succeeds (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--params", converter = JsonArgument.class,
            description = "Params (JSON object or array) to send with --method; default none.")
    JsonNode params;

    @Option(names = "--max-batch", defaultValue = "" + ConformanceSuite.Options.DEFAULT_MAX_BATCH_LENGTH,
            description = "The server's batch limit (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-message-bytes", defaultValue = "" + ConformanceSuite.Options.DEFAULT_MAX_MESSAGE_BYTES,
            description = "The server's message size limit (default ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--timeout-ms", defaultValue = "5000", description = "How long to wait for each reply (default ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--quiet-ms", defaultValue = "500",
            description = "On WebSocket, how long to wait before proving that a notification got no reply (default ${DEFAULT-VALUE}).")
    long quietMs;

    @Override
    public Integer call() {
        if (url == null && httpUrl == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --url, --http-url or both");
        }
        if (timeoutMs <= 0 || quietMs <= 0 || maxBatch < 1 || maxMessageBytes < 1024) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--timeout-ms and --quiet-ms must be positive, --max-batch at least 1, --max-message-bytes at least 1024");
        }
        ConformanceSuite.Options options;
        try {
            options = new ConformanceSuite.Options(url, httpUrl, Set.copyOf(only), method, params, maxBatch,
                    maxMessageBytes, Duration.ofMillis(timeoutMs), Duration.ofMillis(quietMs), caFile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        ConformanceSuite.Summary summary;
        try {
            summary = new ConformanceSuite(options).run(result -> {
                out.println(result.line());
                out.flush();
            });
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ca-file: " + e.getMessage());
        }
        out.println(summary.line());
        out.flush();
        return summary.failed() == 0 ? 0 : 1;
    }
}
