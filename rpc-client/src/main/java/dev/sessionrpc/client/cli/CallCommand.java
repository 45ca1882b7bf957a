package dev.sessionrpc.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sessionrpc.client.RpcClient;
import dev.sessionrpc.client.RpcClientException;
import dev.sessionrpc.client.transport.TrustedCertificates;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcResponse;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One call, its reply printed as JSON: over a WebSocket ({@code ws://}, {@code wss://}) with the
 * SDK's client, or as an HTTP POST ({@code http://}, {@code https://}). Exit 0 on a result, 1 on
 * an error reply, 2 when no reply could be had.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Call one method and print the reply JSON. Exit 0 on a result, 1 on an error reply, 2 on a transport failure.")
final class CallCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", required = true, description = "ws://host:port/rpc, wss://..., or http(s)://host:port/rpc for a POST.")
    URI url;

    @Option(names = "--timeout", defaultValue = "10", description = "Seconds to wait for the connection and the reply (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "For wss:// and https://: trust the CA certificates in this PEM file instead of the JDK trust store (host names are still checked).")
    Path caFile;

    @Option(names = "--pretty", description = "Indent the printed reply.")
    boolean pretty;

    @Parameters(index = "0", paramLabel = "METHOD", description = "The method to call, e.g. help.get_server_information.")
    String method;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PARAMS", converter = JsonArgument.class,
            description = "Params as a JSON object or array, e.g. '{\"session_identification\":{...}}'.")
    JsonNode params;

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be positive");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "ws", "wss" -> overWebSocket();
            case "http", "https" -> overHttp();
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--url must start with ws://, wss://, http:// or https://");
        };
    }

    private int overWebSocket() {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        JsonRpcCodec codec = new JsonRpcCodec();
        try (RpcClient client = RpcClient.builder(url).connectTimeout(timeout).handshakeTimeout(timeout)
                .callTimeout(timeout).sslContext(sslContextOrNull()).connect()) {
            JsonRpcResponse response = client.exchange(method, params, timeout).join();
            print(new String(codec.encodeToBytes(response), StandardCharsets.UTF_8));
            return response.isError() ? RpcClientCommand.EXIT_ERROR_REPLY : 0;
        } catch (RpcClientException e) {
            return transportFailure(e.getMessage());
        } catch (RuntimeException e) {
            Throwable cause = RpcClient.unwrap(e);
            if (cause instanceof RpcClientException) {
                return transportFailure(cause.getMessage());
            }
            throw e;
        }
    }

    private int overHttp() {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        String body = "{\"jsonrpc\":\"2.0\",\"method\":" + quote(method)
                + (params == null ? "" : ",\"params\":" + params) + ",\"id\":1}";
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(timeout);
        if (caFile != null) {
            client.sslContext(caFileOrUsageError(() -> TrustedCertificates.forHttp(caFile)));
        }
        HttpClient http = client.build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return transportFailure("POST " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return transportFailure("interrupted");
        }
        if (response.statusCode() != 200) {
            return transportFailure("POST " + url + " answered HTTP " + response.statusCode() + " " + response.body());
        }
        List<JsonRpcResponse> replies;
        try {
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            replies = new JsonRpcCodec().decodeResponses(bytes, 0, bytes.length);
        } catch (IllegalArgumentException e) {
            return transportFailure("the reply is not JSON-RPC: " + response.body());
        }
        print(response.body());
        return replies.size() == 1 && replies.get(0).isError() ? RpcClientCommand.EXIT_ERROR_REPLY : 0;
    }

    private SslContext sslContextOrNull() {
        return caFile == null ? null : caFileOrUsageError(() -> TrustedCertificates.forWebSocket(caFile));
    }

    private <T> T caFileOrUsageError(Supplier<T> tls) {
        try {
            return tls.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ca-file: " + e.getMessage());
        }
    }

    private void print(String json) {
        PrintWriter out = spec.commandLine().getOut();
        if (pretty) {
            try {
                json = JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(JSON.readTree(json));
            } catch (JsonProcessingException e) {
                // not JSON after all: print it as it came
            }
        }
        out.println(json);
        out.flush();
    }

    private int transportFailure(String message) {
        spec.commandLine().getErr().println("transport failure: " + message);
        return RpcClientCommand.EXIT_TRANSPORT;
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
