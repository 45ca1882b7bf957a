package dev.sessionrpc.server;

import dev.sessionrpc.protocol.CodecLimits;
import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.transport.AllowedOrigins;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of the server in one immutable value: the transport's limits (PROTOCOL.md §1)
 * and the session rules (§3). Built with {@link #builder()}; each default is a named constant so
 * that docs, flags and tests point at one number.
 */
public final class ServerConfig {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    /** No management port: /health and /metrics are served on the public port. */
    public static final int NO_MANAGEMENT_PORT = -1;
    public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_LENGTH = CodecLimits.DEFAULT_MAX_BATCH_LENGTH;
    public static final int DEFAULT_MAX_NESTING_DEPTH = CodecLimits.DEFAULT_MAX_NESTING_DEPTH;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 256;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final int DEFAULT_MAX_REQUESTS_PER_SECOND = 1_000;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MESSAGE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_PENDING_WRITE_BYTES = 4 * 1024 * 1024;
    public static final Duration DEFAULT_PENDING_WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** 0: a quarter of the direct memory the JVM may use. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 0;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    public static final boolean DEFAULT_METRICS_ENABLED = true;
    public static final boolean DEFAULT_ACCESS_LOG = false;
    public static final int DEFAULT_IO_THREADS = 0;

    public static final String DEFAULT_NETWORK_NAME = "Socialvoid";
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(600);
    public static final Duration DEFAULT_AUTHORIZED_SESSION_TTL = Duration.ofSeconds(259_200);
    public static final Duration DEFAULT_EXPIRED_GRACE = Duration.ofHours(1);
    public static final int DEFAULT_CHALLENGE_WINDOW = 2;
    /** 0: as many as fit in the heap ({@code SessionCapacity}). */
    public static final long DEFAULT_MAX_SESSIONS = 0;
    public static final int DEFAULT_CREATE_LIMIT = 30;
    public static final Duration DEFAULT_CREATE_WINDOW = Duration.ofSeconds(60);
    /** IPv6 clients are grouped by this many leading bits for per-address limits; IPv4 by the whole address. */
    public static final int DEFAULT_IPV6_PREFIX = AddressGroups.DEFAULT_IPV6_PREFIX;
    /** No certificate: the port speaks plain HTTP and WebSocket. */
    public static final Path DEFAULT_TLS_CERT = null;
    public static final Path DEFAULT_TLS_KEY = null;
    /** No browser page may call {@code /rpc}; requests without {@code Origin} are served. */
    public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of();

    private final String host;
    private final int port;
    private final int managementPort;
    private final String managementHost;
    private final Path metricsTokenFile;
    private final int ioThreads;
    private final int maxMessageBytes;
    private final int maxBatchLength;
    private final int maxNestingDepth;
    private final int maxInFlightPerConnection;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int maxRequestsPerSecond;
    private final Duration handshakeTimeout;
    private final Duration requestReadTimeout;
    private final Duration messageTimeout;
    private final Duration requestTimeout;
    private final int maxPendingWriteBytes;
    private final Duration pendingWriteTimeout;
    private final long maxBufferedBytes;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final Duration shutdownTimeout;
    private final boolean metricsEnabled;
    private final boolean accessLog;
    private final String networkName;
    private final Duration sessionTtl;
    private final Duration authorizedSessionTtl;
    private final Duration expiredGrace;
    private final int challengeWindow;
    private final long maxSessions;
    private final int createLimit;
    private final Duration createWindow;
    private final int ipv6Prefix;
    private final List<InetAddress> trustedProxies;
    private final Path tlsCert;
    private final Path tlsKey;
    private final List<String> allowedOrigins;

    private ServerConfig(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = checkRange("--port", b.port, 0, 65535);
        this.managementPort = checkRange("--management-port", b.managementPort, NO_MANAGEMENT_PORT, 65535);
        this.managementHost = Objects.requireNonNull(b.managementHost, "managementHost");
        this.metricsTokenFile = b.metricsTokenFile;
        this.ioThreads = checkRange("--io-threads", b.ioThreads, 0, 1024);
        this.maxMessageBytes = checkRange("--max-message-bytes", b.maxMessageBytes, 64, Integer.MAX_VALUE);
        this.maxBatchLength = checkRange("--max-batch", b.maxBatchLength, 1, 1_000_000);
        this.maxNestingDepth = checkRange("--max-depth", b.maxNestingDepth, 2, 10_000);
        this.maxInFlightPerConnection = checkRange("--max-in-flight", b.maxInFlightPerConnection, 1, 1_000_000);
        this.maxConnections = checkRange("--max-connections", b.maxConnections, 1, Integer.MAX_VALUE);
        this.maxConnectionsPerAddress = checkRange("--max-connections-per-address", b.maxConnectionsPerAddress, 1, Integer.MAX_VALUE);
        this.maxRequestsPerSecond = checkRange("--max-requests-per-second", b.maxRequestsPerSecond, 0, 100_000_000);
        this.handshakeTimeout = positive("--handshake-timeout", b.handshakeTimeout);
        this.requestReadTimeout = positive("--request-read-timeout", b.requestReadTimeout);
        this.messageTimeout = positive("--message-timeout", b.messageTimeout);
        this.requestTimeout = positive("--request-timeout", b.requestTimeout);
        this.maxPendingWriteBytes = checkRange("--max-pending-write-bytes", b.maxPendingWriteBytes, 1024, Integer.MAX_VALUE);
        this.pendingWriteTimeout = positive("--pending-write-timeout", b.pendingWriteTimeout);
        if (b.maxBufferedBytes < 0) {
            throw new IllegalArgumentException(flag("--max-buffered-bytes") + " must be 0 (a quarter of the direct memory) or more, was " + b.maxBufferedBytes);
        }
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.idleTimeout = positive("--idle-timeout", b.idleTimeout);
        this.pingInterval = positive("--ping-interval", b.pingInterval);
        this.shutdownTimeout = positive("--shutdown-timeout", b.shutdownTimeout);
        this.metricsEnabled = b.metricsEnabled;
        this.accessLog = b.accessLog;
        this.networkName = Objects.requireNonNull(b.networkName, "networkName");
        this.sessionTtl = positive("--session-ttl", b.sessionTtl);
        this.authorizedSessionTtl = positive("--authorized-session-ttl", b.authorizedSessionTtl);
        this.expiredGrace = Objects.requireNonNull(b.expiredGrace, "expiredGrace");
        if (expiredGrace.isNegative()) {
            throw new IllegalArgumentException(flag("--expired-grace") + " must be 0 s or more, was " + expiredGrace.toSeconds() + " s");
        }
        this.challengeWindow = checkRange("--challenge-window", b.challengeWindow, 0, 20);
        if (b.maxSessions < 0) {
            throw new IllegalArgumentException(flag("--max-sessions") + " must be 0 (fit the heap) or more, was " + b.maxSessions);
        }
        this.maxSessions = b.maxSessions;
        this.createLimit = checkRange("--create-limit", b.createLimit, 1, Integer.MAX_VALUE);
        this.createWindow = positive("--create-window", b.createWindow);
        this.ipv6Prefix = checkRange("--ipv6-prefix", b.ipv6Prefix, 1, 128);
        this.trustedProxies = List.copyOf(b.trustedProxies);
        if ((b.tlsCert == null) != (b.tlsKey == null)) {
            throw new IllegalArgumentException(b.tlsCert == null
                    ? "--tls-key needs --tls-cert (the certificate chain that goes with the key)"
                    : "--tls-cert needs --tls-key (the PKCS#8 private key of the certificate)");
        }
        this.tlsCert = b.tlsCert;
        this.tlsKey = b.tlsKey;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        try {
            AllowedOrigins.of(allowedOrigins);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("allowedOrigins: " + e.getMessage(), e);
        }
        if (pingInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException(flag("--ping-interval") + " must be shorter than " + flag("--idle-timeout") + ", was "
                    + pingInterval.toSeconds() + " s against " + idleTimeout.toSeconds() + " s");
        }
    }

    private static int checkRange(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag(flag) + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** Whole seconds on the command line, so "at least 1 s"; an embedding application may give less. */
    private static Duration positive(String flag, Duration d) {
        Objects.requireNonNull(d, flag);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(flag(flag) + " must be at least 1 s, was " + d.toSeconds() + " s");
        }
        return d;
    }

    /** A flag as an operator meets it: with the environment variable that sets it too. */
    private static String flag(String flag) {
        return flag + " (" + ServerCommand.environmentVariable(flag) + ")";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ServerConfig defaults() {
        return builder().build();
    }

    /** A builder preset with this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.managementPort = managementPort;
        b.managementHost = managementHost;
        b.metricsTokenFile = metricsTokenFile;
        b.ioThreads = ioThreads;
        b.maxMessageBytes = maxMessageBytes;
        b.maxBatchLength = maxBatchLength;
        b.maxNestingDepth = maxNestingDepth;
        b.maxInFlightPerConnection = maxInFlightPerConnection;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.maxRequestsPerSecond = maxRequestsPerSecond;
        b.handshakeTimeout = handshakeTimeout;
        b.requestReadTimeout = requestReadTimeout;
        b.messageTimeout = messageTimeout;
        b.requestTimeout = requestTimeout;
        b.maxPendingWriteBytes = maxPendingWriteBytes;
        b.pendingWriteTimeout = pendingWriteTimeout;
        b.maxBufferedBytes = maxBufferedBytes;
        b.idleTimeout = idleTimeout;
        b.pingInterval = pingInterval;
        b.shutdownTimeout = shutdownTimeout;
        b.metricsEnabled = metricsEnabled;
        b.accessLog = accessLog;
        b.networkName = networkName;
        b.sessionTtl = sessionTtl;
        b.authorizedSessionTtl = authorizedSessionTtl;
        b.expiredGrace = expiredGrace;
        b.challengeWindow = challengeWindow;
        b.maxSessions = maxSessions;
        b.createLimit = createLimit;
        b.createWindow = createWindow;
        b.ipv6Prefix = ipv6Prefix;
        b.trustedProxies = trustedProxies;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.allowedOrigins = allowedOrigins;
        return b;
    }

    public String host() { return host; }
    public int port() { return port; }
    /** The port of /health and /metrics apart from the public one, {@link #NO_MANAGEMENT_PORT} when they share it; 0 picks a free one. */
    public int managementPort() { return managementPort; }
    public String managementHost() { return managementHost; }
    /** A file holding the bearer token /metrics asks for; null when /metrics needs none. */
    public Path metricsTokenFile() { return metricsTokenFile; }
    /** Event-loop threads; 0 means Netty's default (twice the cores). */
    public int ioThreads() { return ioThreads; }
    public int maxMessageBytes() { return maxMessageBytes; }
    public int maxBatchLength() { return maxBatchLength; }
    public int maxNestingDepth() { return maxNestingDepth; }
    public int maxInFlightPerConnection() { return maxInFlightPerConnection; }
    public int maxConnections() { return maxConnections; }
    /** Connections one client address (IPv6: one prefix group) may hold. */
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }
    /** Requests per second one connection may send (bursts up to twice that); 0 means no limit. */
    public int maxRequestsPerSecond() { return maxRequestsPerSecond; }
    public Duration handshakeTimeout() { return handshakeTimeout; }
    /** Time any HTTP request (head and body) has to arrive whole, from its first byte. */
    public Duration requestReadTimeout() { return requestReadTimeout; }
    /** Time a WebSocket message has to arrive whole, from its first byte. */
    public Duration messageTimeout() { return messageTimeout; }
    /** How long a request may take from its arrival to its reply; past it, InternalServerError. */
    public Duration requestTimeout() { return requestTimeout; }
    /** Unread reply bytes a connection may hold past {@link #pendingWriteTimeout()} before it is closed. */
    public int maxPendingWriteBytes() { return maxPendingWriteBytes; }
    public Duration pendingWriteTimeout() { return pendingWriteTimeout; }
    /** Bytes all connections together may hold in unfinished messages and bodies; 0 means a quarter of direct memory. */
    public long maxBufferedBytes() { return maxBufferedBytes; }
    public Duration idleTimeout() { return idleTimeout; }
    public Duration pingInterval() { return pingInterval; }
    public Duration shutdownTimeout() { return shutdownTimeout; }
    public boolean metricsEnabled() { return metricsEnabled; }
    /** Whether each HTTP request and WebSocket message gets a line naming its methods, outcomes and time. */
    public boolean accessLog() { return accessLog; }
    public String networkName() { return networkName; }
    public Duration sessionTtl() { return sessionTtl; }
    public Duration authorizedSessionTtl() { return authorizedSessionTtl; }
    public Duration expiredGrace() { return expiredGrace; }
    public int challengeWindow() { return challengeWindow; }
    /** Most sessions kept in memory; 0 means as many as fit in the heap. */
    public long maxSessions() { return maxSessions; }
    public int createLimit() { return createLimit; }
    public Duration createWindow() { return createWindow; }
    public int ipv6Prefix() { return ipv6Prefix; }
    public List<InetAddress> trustedProxies() { return trustedProxies; }
    /** PEM certificate chain; with {@link #tlsKey()}, the port speaks only TLS. Null for plain. */
    public Path tlsCert() { return tlsCert; }
    /** PEM PKCS#8 private key of {@link #tlsCert()}; null for plain. */
    public Path tlsKey() { return tlsKey; }
    public boolean tlsEnabled() { return tlsCert != null; }
    /** Origins ({@code scheme://host[:port]}, or {@code *}) whose pages may call {@code /rpc} from a browser. */
    public List<String> allowedOrigins() { return allowedOrigins; }

    /** Collects settings; unset ones keep their {@code DEFAULT_*} value. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int managementPort = NO_MANAGEMENT_PORT;
        private String managementHost = DEFAULT_MANAGEMENT_HOST;
        private Path metricsTokenFile;
        private int ioThreads = DEFAULT_IO_THREADS;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxBatchLength = DEFAULT_MAX_BATCH_LENGTH;
        private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;
        private int maxInFlightPerConnection = DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int maxRequestsPerSecond = DEFAULT_MAX_REQUESTS_PER_SECOND;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;
        private Duration messageTimeout = DEFAULT_MESSAGE_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxPendingWriteBytes = DEFAULT_MAX_PENDING_WRITE_BYTES;
        private Duration pendingWriteTimeout = DEFAULT_PENDING_WRITE_TIMEOUT;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private boolean metricsEnabled = DEFAULT_METRICS_ENABLED;
        private boolean accessLog = DEFAULT_ACCESS_LOG;
        private String networkName = DEFAULT_NETWORK_NAME;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;
        private Duration authorizedSessionTtl = DEFAULT_AUTHORIZED_SESSION_TTL;
        private Duration expiredGrace = DEFAULT_EXPIRED_GRACE;
        private int challengeWindow = DEFAULT_CHALLENGE_WINDOW;
        private long maxSessions = DEFAULT_MAX_SESSIONS;
        private int createLimit = DEFAULT_CREATE_LIMIT;
        private Duration createWindow = DEFAULT_CREATE_WINDOW;
        private int ipv6Prefix = DEFAULT_IPV6_PREFIX;
        private List<InetAddress> trustedProxies = List.of();
        private Path tlsCert = DEFAULT_TLS_CERT;
        private Path tlsKey = DEFAULT_TLS_KEY;
        private List<String> allowedOrigins = DEFAULT_ALLOWED_ORIGINS;

        private Builder() {
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder managementPort(int v) { managementPort = v; return this; }
        public Builder managementHost(String v) { managementHost = v; return this; }
        public Builder metricsTokenFile(Path v) { metricsTokenFile = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder maxBatchLength(int v) { maxBatchLength = v; return this; }
        public Builder maxNestingDepth(int v) { maxNestingDepth = v; return this; }
        public Builder maxInFlightPerConnection(int v) { maxInFlightPerConnection = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
        public Builder maxRequestsPerSecond(int v) { maxRequestsPerSecond = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder requestReadTimeout(Duration v) { requestReadTimeout = v; return this; }
        public Builder messageTimeout(Duration v) { messageTimeout = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder maxPendingWriteBytes(int v) { maxPendingWriteBytes = v; return this; }
        public Builder pendingWriteTimeout(Duration v) { pendingWriteTimeout = v; return this; }
        public Builder maxBufferedBytes(long v) { maxBufferedBytes = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder metricsEnabled(boolean v) { metricsEnabled = v; return this; }
        public Builder accessLog(boolean v) { accessLog = v; return this; }
        public Builder networkName(String v) { networkName = v; return this; }
        public Builder sessionTtl(Duration v) { sessionTtl = v; return this; }
        public Builder authorizedSessionTtl(Duration v) { authorizedSessionTtl = v; return this; }
        public Builder expiredGrace(Duration v) { expiredGrace = v; return this; }
        public Builder challengeWindow(int v) { challengeWindow = v; return this; }
        public Builder maxSessions(long v) { maxSessions = v; return this; }
        public Builder createLimit(int v) { createLimit = v; return this; }
        public Builder createWindow(Duration v) { createWindow = v; return this; }
        public Builder ipv6Prefix(int v) { ipv6Prefix = v; return this; }
        public Builder trustedProxies(List<InetAddress> v) { trustedProxies = List.copyOf(v); return this; }
        /** Certificate chain and key (PEM, PKCS#8); both or neither. */
        public Builder tls(Path cert, Path key) { tlsCert = cert; tlsKey = key; return this; }
        public Builder allowedOrigins(List<String> v) { allowedOrigins = List.copyOf(v); return this; }

        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
