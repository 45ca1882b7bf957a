package dev.sessionrpc.server;

import dev.sessionrpc.server.session.SessionCapacity;
import dev.sessionrpc.server.transport.AllowedOrigins;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: every setting as a flag whose default can also come from an environment
 * variable ({@code RPC_PORT=9000} is {@code --port 9000}). Runs until SIGTERM or SIGINT, then
 * stops gracefully and exits 0.
 */
@Command(name = "rpc-server", mixinStandardHelpOptions = true, version = "rpc-server 0.1.0",
        sortOptions = false, showDefaultValues = true,
        description = "JSON-RPC 2.0 session server (Socialvoid session.create / session.get) over WebSocket and HTTP.",
        footer = "%nEvery flag can also be set through the environment variable shown in its description.")
public final class ServerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Option(names = "--host", defaultValue = "${env:RPC_HOST:-" + ServerConfig.DEFAULT_HOST + "}",
            description = "Address to bind (RPC_HOST).")
    String host;

    @Option(names = "--port", defaultValue = "${env:RPC_PORT:-" + ServerConfig.DEFAULT_PORT + "}",
            description = "TCP port for WebSocket, HTTP, health and metrics; 0 picks a free one (RPC_PORT).")
    int port;

    @Option(names = "--management-port", defaultValue = "${env:RPC_MANAGEMENT_PORT:-" + ServerConfig.NO_MANAGEMENT_PORT + "}",
            description = "Serve /health and /metrics on this port instead of the public one, which then serves only /rpc; -1: off, 0: a free port (RPC_MANAGEMENT_PORT).")
    int managementPort;

    @Option(names = "--management-host", defaultValue = "${env:RPC_MANAGEMENT_HOST:-" + ServerConfig.DEFAULT_MANAGEMENT_HOST + "}",
            description = "Address the management port binds (RPC_MANAGEMENT_HOST).")
    String managementHost;

    @Option(names = "--metrics-token-file", defaultValue = "${env:RPC_METRICS_TOKEN_FILE}",
            description = "File holding a token; /metrics then needs Authorization: Bearer <token> (RPC_METRICS_TOKEN_FILE).")
    Path metricsTokenFile;

    @Option(names = "--io-threads", defaultValue = "${env:RPC_IO_THREADS:-" + ServerConfig.DEFAULT_IO_THREADS + "}",
            description = "Event-loop threads; 0 means two per core (RPC_IO_THREADS).")
    int ioThreads;

    @Option(names = "--max-message-bytes", defaultValue = "${env:RPC_MAX_MESSAGE_BYTES:-" + ServerConfig.DEFAULT_MAX_MESSAGE_BYTES + "}",
            description = "Largest message (after joining fragments) or HTTP body; larger: close 1009 / HTTP 413 (RPC_MAX_MESSAGE_BYTES).")
    int maxMessageBytes;

    @Option(names = "--max-batch", defaultValue = "${env:RPC_MAX_BATCH:-" + ServerConfig.DEFAULT_MAX_BATCH_LENGTH + "}",
            description = "Most requests in one batch (RPC_MAX_BATCH).")
    int maxBatch;

    @Option(names = "--max-depth", defaultValue = "${env:RPC_MAX_DEPTH:-" + ServerConfig.DEFAULT_MAX_NESTING_DEPTH + "}",
            description = "Deepest JSON nesting accepted (RPC_MAX_DEPTH).")
    int maxDepth;

    @Option(names = "--max-in-flight", defaultValue = "${env:RPC_MAX_IN_FLIGHT:-" + ServerConfig.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION + "}",
            description = "Requests in flight per connection before reading pauses (RPC_MAX_IN_FLIGHT).")
    int maxInFlight;

    @Option(names = "--max-connections", defaultValue = "${env:RPC_MAX_CONNECTIONS:-" + ServerConfig.DEFAULT_MAX_CONNECTIONS + "}",
            description = "Most open TCP connections, HTTP or WebSocket; past it new ones get 503 and are closed (RPC_MAX_CONNECTIONS).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", defaultValue = "${env:RPC_MAX_CONNECTIONS_PER_ADDRESS:-" + ServerConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + "}",
            description = "Most connections from one client address (IPv6: per --ipv6-prefix group); past it 503 (RPC_MAX_CONNECTIONS_PER_ADDRESS).")
    int maxConnectionsPerAddress;

    @Option(names = "--max-requests-per-second", defaultValue = "${env:RPC_MAX_REQUESTS_PER_SECOND:-" + ServerConfig.DEFAULT_MAX_REQUESTS_PER_SECOND + "}",
            description = "Requests per second one connection may send, bursts up to twice that; past it TooManyRequests; 0 means no limit (RPC_MAX_REQUESTS_PER_SECOND).")
    int maxRequestsPerSecond;

    @Option(names = "--handshake-timeout", defaultValue = "${env:RPC_HANDSHAKE_TIMEOUT:-10}",
            description = "Seconds a new connection has to send its first complete request (RPC_HANDSHAKE_TIMEOUT).")
    long handshakeTimeout;

    @Option(names = "--request-read-timeout", defaultValue = "${env:RPC_REQUEST_READ_TIMEOUT:-10}",
            description = "Seconds any HTTP request (head and body) has to arrive whole from its first byte; else the connection is closed (RPC_REQUEST_READ_TIMEOUT).")
    long requestReadTimeout;

    @Option(names = "--message-timeout", defaultValue = "${env:RPC_MESSAGE_TIMEOUT:-30}",
            description = "Seconds a WebSocket message has to arrive whole from its first frame; else close 1008 (RPC_MESSAGE_TIMEOUT).")
    long messageTimeout;

    @Option(names = "--request-timeout", defaultValue = "${env:RPC_REQUEST_TIMEOUT:-5}",
            description = "Seconds a request may take from its arrival to its reply; past it, InternalServerError with a correlation id (RPC_REQUEST_TIMEOUT).")
    long requestTimeout;

    @Option(names = "--max-pending-write-bytes", defaultValue = "${env:RPC_MAX_PENDING_WRITE_BYTES:-" + ServerConfig.DEFAULT_MAX_PENDING_WRITE_BYTES + "}",
            description = "Unread reply bytes a WebSocket may hold; over it for --pending-write-timeout: close 1008 (RPC_MAX_PENDING_WRITE_BYTES).")
    int maxPendingWriteBytes;

    @Option(names = "--pending-write-timeout", defaultValue = "${env:RPC_PENDING_WRITE_TIMEOUT:-30}",
            description = "Seconds a WebSocket may stay over --max-pending-write-bytes (RPC_PENDING_WRITE_TIMEOUT).")
    long pendingWriteTimeout;

    @Option(names = "--max-buffered-bytes", defaultValue = "${env:RPC_MAX_BUFFERED_BYTES:-" + ServerConfig.DEFAULT_MAX_BUFFERED_BYTES + "}",
            description = "Bytes all connections together may hold in unfinished messages and HTTP bodies; past it new ones get 1009 / 413; 0 means a quarter of direct memory (RPC_MAX_BUFFERED_BYTES).")
    long maxBufferedBytes;

    @Option(names = "--idle-timeout", defaultValue = "${env:RPC_IDLE_TIMEOUT:-90}",
            description = "Seconds without any frame or pong before a WebSocket is closed with 1001 (RPC_IDLE_TIMEOUT).")
    long idleTimeout;

    @Option(names = "--ping-interval", defaultValue = "${env:RPC_PING_INTERVAL:-30}",
            description = "Seconds of silence after which the server pings a WebSocket (RPC_PING_INTERVAL).")
    long pingInterval;

    @Option(names = "--shutdown-timeout", defaultValue = "${env:RPC_SHUTDOWN_TIMEOUT:-10}",
            description = "Seconds to wait for requests in flight on shutdown (RPC_SHUTDOWN_TIMEOUT).")
    long shutdownTimeout;

    @Option(names = "--metrics", negatable = true, defaultValue = "${env:RPC_METRICS:-true}", fallbackValue = "true",
            description = "Serve Prometheus metrics at /metrics; on unless --no-metrics or RPC_METRICS=false.")
    boolean metrics;

    @Option(names = "--access-log", negatable = true, defaultValue = "${env:RPC_ACCESS_LOG:-false}", fallbackValue = "true",
            description = "One log line per HTTP request and WebSocket message: methods, outcomes, time; never params (RPC_ACCESS_LOG).")
    boolean accessLog;

    @Option(names = "--network-name", defaultValue = "${env:RPC_NETWORK_NAME:-" + ServerConfig.DEFAULT_NETWORK_NAME + "}",
            description = "network_name in help.get_server_information (RPC_NETWORK_NAME).")
    String networkName;

    @Option(names = "--session-ttl", defaultValue = "${env:RPC_SESSION_TTL:-600}",
            description = "Seconds a session lives after creation or its last successful session.get (RPC_SESSION_TTL).")
    long sessionTtl;

    @Option(names = "--authorized-session-ttl", defaultValue = "${env:RPC_AUTHORIZED_SESSION_TTL:-259200}",
            description = "Seconds a signed-in session lives, reported as authorized_session_ttl by "
                    + "help.get_server_information; no method here signs in yet (RPC_AUTHORIZED_SESSION_TTL).")
    long authorizedSessionTtl;

    @Option(names = "--expired-grace", defaultValue = "${env:RPC_EXPIRED_GRACE:-3600}",
            description = "Seconds an expired session is remembered to answer SessionExpired (RPC_EXPIRED_GRACE).")
    long expiredGrace;

    @Option(names = "--challenge-window", defaultValue = "${env:RPC_CHALLENGE_WINDOW:-" + ServerConfig.DEFAULT_CHALLENGE_WINDOW + "}",
            description = "30-second steps of clock skew accepted either side of now (RPC_CHALLENGE_WINDOW).")
    int challengeWindow;

    @Option(names = "--max-sessions", defaultValue = "${env:RPC_MAX_SESSIONS:-" + ServerConfig.DEFAULT_MAX_SESSIONS + "}",
            description = "Most sessions kept in memory; 0 means what fits in " + SessionCapacity.HEAP_PERCENT + "%% of the max heap at "
                    + SessionCapacity.BYTES_PER_SESSION + " bytes each, and a number that does not fit is refused. "
                    + "Past it expired, then least recently used sessions are evicted, counted in rpc_sessions_evicted_total (RPC_MAX_SESSIONS).")
    long maxSessions;

    @Option(names = "--create-limit", defaultValue = "${env:RPC_CREATE_LIMIT:-" + ServerConfig.DEFAULT_CREATE_LIMIT + "}",
            description = "Sessions one client address (IPv6: one --ipv6-prefix network) may create per window (RPC_CREATE_LIMIT).")
    int createLimit;

    @Option(names = "--create-window", defaultValue = "${env:RPC_CREATE_WINDOW:-60}",
            description = "Seconds of the sliding create window (RPC_CREATE_WINDOW).")
    long createWindow;

    @Option(names = "--ipv6-prefix", defaultValue = "${env:RPC_IPV6_PREFIX:-" + ServerConfig.DEFAULT_IPV6_PREFIX + "}",
            description = "Leading bits of an IPv6 address that name one client for --create-limit, 1 to 128; "
                    + "IPv4 and IPv4-mapped addresses count one by one (RPC_IPV6_PREFIX).")
    int ipv6Prefix;

    @Option(names = "--trusted-proxies", split = ",", defaultValue = "${env:RPC_TRUSTED_PROXIES:-}",
            description = "Comma-separated proxy addresses whose X-Forwarded-For is believed (RPC_TRUSTED_PROXIES).")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--tls-cert", defaultValue = "${env:RPC_TLS_CERT}",
            description = "PEM certificate chain (server certificate first); with --tls-key the port speaks only TLS "
                    + "(wss://, https://), and a changed pair is picked up without a restart (RPC_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:RPC_TLS_KEY}",
            description = "PEM PKCS#8 private key of --tls-cert, unencrypted (RPC_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--allowed-origins", split = ",", defaultValue = "${env:RPC_ALLOWED_ORIGINS:-}",
            description = "Comma-separated origins (scheme://host[:port]) whose web pages may open the WebSocket or POST to /rpc, "
                    + "* for any; other pages get 403, requests without Origin are served; default: no page (RPC_ALLOWED_ORIGINS).")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--log-format", defaultValue = "${env:RPC_LOG_FORMAT:-text}",
            description = "Console log lines: text (for people) or json (one object per line, for log shippers) (RPC_LOG_FORMAT).")
    LogSetup.Format logFormat;

    @Option(names = "--log-level", defaultValue = "${env:RPC_LOG_LEVEL:-INFO}",
            description = "Level of the server's own lines: TRACE, DEBUG (adds per-session events, never a secret), INFO, WARN or ERROR (RPC_LOG_LEVEL).")
    LogSetup.Level logLevel;

    @Override
    public Integer call() throws InterruptedException {
        LogSetup.apply(logFormat, logLevel);
        ServerConfig config = toConfig();
        RpcServer server = RpcServer.builder(config).start();
        Signals.onTermination(server::stop, config.shutdownTimeout());
        new CountDownLatch(1).await();
        return 0;
    }

    ServerConfig toConfig() {
        List<InetAddress> proxies = new ArrayList<>();
        for (String p : trustedProxies) {
            if (p.isBlank()) {
                continue;
            }
            InetAddress a = NetUtil.createInetAddressFromIpAddressString(p.trim());
            if (a == null) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--trusted-proxies: not an IP address: " + p.trim());
            }
            proxies.add(a);
        }
        try {
            AllowedOrigins.of(allowedOrigins);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--allowed-origins: " + e.getMessage(), e);
        }
        return ServerConfig.builder()
                .host(host)
                .port(port)
                .managementPort(managementPort)
                .managementHost(managementHost)
                .metricsTokenFile(metricsTokenFile)
                .ioThreads(ioThreads)
                .maxMessageBytes(maxMessageBytes)
                .maxBatchLength(maxBatch)
                .maxNestingDepth(maxDepth)
                .maxInFlightPerConnection(maxInFlight)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxRequestsPerSecond(maxRequestsPerSecond)
                .handshakeTimeout(Duration.ofSeconds(handshakeTimeout))
                .requestReadTimeout(Duration.ofSeconds(requestReadTimeout))
                .messageTimeout(Duration.ofSeconds(messageTimeout))
                .requestTimeout(Duration.ofSeconds(requestTimeout))
                .maxPendingWriteBytes(maxPendingWriteBytes)
                .pendingWriteTimeout(Duration.ofSeconds(pendingWriteTimeout))
                .maxBufferedBytes(maxBufferedBytes)
                .idleTimeout(Duration.ofSeconds(idleTimeout))
                .pingInterval(Duration.ofSeconds(pingInterval))
                .shutdownTimeout(Duration.ofSeconds(shutdownTimeout))
                .metricsEnabled(metrics)
                .accessLog(accessLog)
                .networkName(networkName)
                .sessionTtl(Duration.ofSeconds(sessionTtl))
                .authorizedSessionTtl(Duration.ofSeconds(authorizedSessionTtl))
                .expiredGrace(Duration.ofSeconds(expiredGrace))
                .challengeWindow(challengeWindow)
                .maxSessions(maxSessions)
                .createLimit(createLimit)
                .createWindow(Duration.ofSeconds(createWindow))
                .ipv6Prefix(ipv6Prefix)
                .trustedProxies(proxies)
                .tls(tlsCert, tlsKey)
                .allowedOrigins(allowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList())
                .build();
    }

    /** The environment variable that sets a flag: {@code --session-ttl} is {@code RPC_SESSION_TTL}. */
    static String environmentVariable(String flag) {
        return "RPC_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * One line for a value that cannot be read, naming where it came from: the flag as typed, or
     * the environment variable that set it ({@code RPC_PORT=abc is not a port}).
     */
    static String unreadableValue(CommandLine.ParameterException e, List<String> args, Map<String, String> environment) {
        if (!(e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) || e.getValue() == null) {
            return e.getMessage();
        }
        String flag = option.longestName();
        String what;
        if (flag.equals("--port") || flag.equals("--management-port")) {
            what = "a port";
        } else if (option.type().isEnum()) {
            what = "one of " + Arrays.stream(option.type().getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        } else {
            what = option.type() == int.class || option.type() == long.class ? "a whole number" : "a valid value";
        }
        boolean typed = args.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
        String env = environmentVariable(flag);
        if (!typed && environment.containsKey(env)) {
            return env + "=" + environment.get(env) + " is not " + what + " (it sets " + flag + ")";
        }
        return flag + " " + e.getValue() + " is not " + what + " (" + env + " sets it too)";
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ServerCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("rpc-server: " + unreadableValue(e, List.of(arguments), System.getenv())
                    + "; see rpc-server --help");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("rpc-server: " + e.getMessage());
                return 2;
            }
            if (e instanceof StartupException) {
                log.error("rpc-server did not start: {}", e.getMessage());
                return 1;
            }
            log.error("rpc-server failed to start", e);
            return 1;
        });
        int status = cli.execute(args);
        Signals.flushLogs();
        System.exit(status);
    }
}
