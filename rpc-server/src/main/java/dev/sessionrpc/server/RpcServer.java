package dev.sessionrpc.server;

import dev.sessionrpc.protocol.CodecLimits;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.MethodDescriptor;
import dev.sessionrpc.protocol.session.ServerInformation;
import dev.sessionrpc.protocol.session.SessionDescriptors;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.dispatch.MethodHandler;
import dev.sessionrpc.server.dispatch.TypedMethodHandler;
import dev.sessionrpc.server.metrics.ServerMetrics;
import dev.sessionrpc.server.session.ChallengeVerifier;
import dev.sessionrpc.server.session.CreateThrottle;
import dev.sessionrpc.server.session.InMemoryCreateThrottle;
import dev.sessionrpc.server.session.InMemorySessionStore;
import dev.sessionrpc.server.session.SessionCapacity;
import dev.sessionrpc.server.session.SessionMethods;
import dev.sessionrpc.server.session.SessionService;
import dev.sessionrpc.server.session.SessionStore;
import dev.sessionrpc.server.transport.AccessLog;
import dev.sessionrpc.server.transport.ConnectionLog;
import dev.sessionrpc.server.transport.ConnectionTracker;
import dev.sessionrpc.server.transport.JsonRpcProcessor;
import dev.sessionrpc.server.transport.ManagementInitializer;
import dev.sessionrpc.server.transport.OperatorEndpoints;
import dev.sessionrpc.server.transport.RpcServerInitializer;
import dev.sessionrpc.server.tls.TlsContextSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.IOException;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: one port serving WebSocket and HTTP JSON-RPC, health and metrics. Built
 * with {@link #builder(ServerConfig)}, started with {@link Builder#start()}, and stopped
 * gracefully with {@link #close()}: stop accepting, report 503 on {@code /health}, answer what is
 * in flight, close WebSockets with 1001.
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);
    private static final int MANAGEMENT_CONNECTIONS = 64;
    /** How often the certificate files' size and modification time are looked at. */
    static final Duration TLS_RELOAD_INTERVAL = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final ConnectionTracker tracker;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private Channel serverChannel;
    private Channel managementChannel;
    /** The management port's own connections: few, never competing with the public for places. */
    private final ConnectionTracker managementTracker = new ConnectionTracker(MANAGEMENT_CONNECTIONS, MANAGEMENT_CONNECTIONS,
            ServerMetrics.disabled());
    /** Null without TLS. */
    private final TlsContextSource tls;
    private final CompletableFuture<Boolean> stopped = new CompletableFuture<>();
    /** The store this server made and so closes; null when the builder was given one, which its giver closes. */
    private final SessionStore ownStore;

    private RpcServer(Builder b) throws InterruptedException {
        this.config = b.config;
        this.metrics = config.metricsEnabled() ? ServerMetrics.prometheus() : ServerMetrics.disabled();
        this.tracker = new ConnectionTracker(config.maxConnections(), config.maxConnectionsPerAddress(), metrics);

        Dispatcher.Builder methods = Dispatcher.builder(metrics);
        ServerInformation info = ServerInformation.sessionsOnly(config.networkName(),
                config.sessionTtl().toSeconds(), config.authorizedSessionTtl().toSeconds());
        methods.method(SessionDescriptors.SERVER_INFORMATION, (params, ctx) -> CompletableFuture.completedFuture(info));
        this.ownStore = b.sessionStore != null ? null
                : new InMemorySessionStore(SessionCapacity.resolve(config.maxSessions(), Runtime.getRuntime().maxMemory()),
                        b.clock, metrics);
        CreateThrottle throttle = b.createThrottle != null ? b.createThrottle
                : new InMemoryCreateThrottle(config.createLimit(), config.createWindow(), b.clock);
        SessionMethods sessions = new SessionMethods(new SessionService(b.sessionStore != null ? b.sessionStore : ownStore,
                throttle, new ChallengeVerifier(config.challengeWindow()),
                new SessionService.Settings(config.sessionTtl(), config.expiredGrace(), config.ipv6Prefix()),
                b.clock, metrics));
        methods.method(SessionDescriptors.CREATE, sessions::create);
        methods.method(SessionDescriptors.GET, sessions::get);
        b.extraMethods.forEach(register -> register.accept(methods));

        Dispatcher dispatcher = methods.build();
        // params are read by their method's marshaller while the request is decoded: one parser per message
        JsonRpcCodec codec = new JsonRpcCodec(new CodecLimits(config.maxNestingDepth(), config.maxBatchLength()),
                dispatcher::paramsReader);
        JsonRpcProcessor processor = new JsonRpcProcessor(codec, dispatcher, config.requestTimeout(), metrics,
                AccessLog.of(config.accessLog()));

        StartupChecks.run(config);
        OperatorEndpoints operator = new OperatorEndpoints(tracker, metrics, readMetricsToken(config.metricsTokenFile()));
        boolean separateManagement = config.managementPort() != ServerConfig.NO_MANAGEMENT_PORT;
        this.tls = config.tlsEnabled()
                ? TlsContextSource.load(config.tlsCert(), config.tlsKey(),
                        b.tlsProvider != null ? b.tlsProvider : TlsContextSource.defaultProvider())
                : null;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        this.workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            this.serverChannel = bind(new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new RpcServerInitializer(config, processor, tracker, separateManagement ? null : operator, tls)),
                    config.host(), "--host", config.port(), "--port");
            this.managementChannel = !separateManagement ? null : bind(new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(channelType)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ManagementInitializer(managementTracker, operator,
                            config.requestReadTimeout(), config.idleTimeout())),
                    config.managementHost(), "--management-host", config.managementPort(), "--management-port");
        } catch (RuntimeException | InterruptedException e) {
            if (serverChannel != null) {
                serverChannel.close();
            }
            bossGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workerGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        String base = "://" + displayHost(config.host()) + ":" + port();
        String operatorPaths = metrics.enabled() ? "GET /health, /metrics" : "GET /health";
        String operatorWhere = managementChannel == null ? "on this port"
                : "on " + config.managementHost() + ":" + managementPort() + " (plain HTTP)";
        if (tls != null) {
            long every = b.tlsReloadInterval.toMillis();
            bossGroup.scheduleWithFixedDelay(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
            log.info("serving JSON-RPC over TLS only on {}:{} (wss{}/rpc, POST https{}/rpc) with {} transport, TLS by {}, "
                    + "certificate {} until {}; {} {}", config.host(), port(), base, base, epoll ? "epoll" : "nio",
                    tls.providerName(), tls.certificate().getSubjectX500Principal().getName(),
                    tls.certificate().getNotAfter().toInstant(), operatorPaths, operatorWhere);
        } else {
            log.info("serving JSON-RPC on {}:{} (ws{}/rpc, POST http{}/rpc) with {} transport; {} {}",
                    config.host(), port(), base, base, epoll ? "epoll" : "nio", operatorPaths, operatorWhere);
        }
    }

    /** The token /metrics asks for, read once at startup; a missing or empty file stops the start. */
    private static String readMetricsToken(Path file) {
        if (file == null) {
            return null;
        }
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--metrics-token-file: cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--metrics-token-file: " + file + " is empty");
        }
        return token;
    }

    /** A host for URLs people can paste: a wildcard bind address is reached as localhost. */
    /** Binds, or says in one line which flag to change: a port in use, an address that is not this machine's. */
    private static Channel bind(ServerBootstrap bootstrap, String host, String hostFlag, int port, String portFlag)
            throws InterruptedException {
        ChannelFuture bound = bootstrap.bind(host, port).await();
        if (bound.isSuccess()) {
            return bound.channel();
        }
        throw bindFailure(host, hostFlag, port, portFlag, bound.cause());
    }

    static StartupException bindFailure(String host, String hostFlag, int port, String portFlag, Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        String onPort = "port " + port + " on " + host;
        String why;
        if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            why = host + " is not an address or a name of this machine (" + whereSet(hostFlag) + ")";
        } else if (message.contains("Address already in use")) {
            why = onPort + " is already in use (" + whereSet(portFlag) + ")";
        } else if (message.contains("Cannot assign requested address")) {
            why = host + " is not an address of this machine (" + whereSet(hostFlag) + ")";
        } else if (message.contains("Permission denied")) {
            why = onPort + " needs privileges to bind (ports below 1024 do; " + portFlag + " or " + hostFlag + ")";
        } else {
            why = onPort + " cannot be bound: " + message + " (" + portFlag + " or " + hostFlag + ")";
        }
        return new StartupException(why, cause);
    }

    /** {@code --port, RPC_PORT}: the flag and the environment variable that set a value. */
    private static String whereSet(String flag) {
        return flag + ", " + ServerCommand.environmentVariable(flag);
    }

    /** A host a client on this machine can connect to: the loopback address for a wildcard bind. */
    private static String displayHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1";
        }
        return NetUtil.isValidIpV6Address(host) ? "[" + host + "]" : host;
    }

    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /** The management port actually bound; -1 when there is none. */
    public int managementPort() {
        return managementChannel == null ? -1 : ((InetSocketAddress) managementChannel.localAddress()).getPort();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public ServerConfig config() {
        return config;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** The TLS pair being served, or null on a plain port. */
    TlsContextSource tls() {
        return tls;
    }

    /**
     * Stops gracefully: no new connections, {@code /health} answers 503, requests in flight are
     * answered (up to the shutdown timeout), then WebSockets are closed with 1001 and the event
     * loops end. Returns true when everything in flight was answered. Safe to call twice.
     */
    public synchronized boolean stop() {
        if (stopped.isDone()) {
            return stopped.join();
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        tracker.startDraining();
        log.info("shutting down: draining {} request(s) in flight on {} connection(s)",
                tracker.inFlight(), tracker.channels().size());
        serverChannel.close().syncUninterruptibly();
        if (managementChannel != null) {
            managementChannel.close().syncUninterruptibly();
        }
        // WebSockets take no new work; HTTP connections keep being read, so that a health checker
        // on a kept-alive connection sees 503 and new POSTs are refused with 503 until sockets close
        tracker.webSockets().forEach(ch -> ch.config().setAutoRead(false));
        while (tracker.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean drained = tracker.inFlight() <= 0;
        if (!drained) {
            log.warn("shutdown timeout reached with {} request(s) unanswered", tracker.inFlight());
        }
        tracker.webSockets().forEach(ch -> {
            ConnectionLog.closing(ch, ConnectionLog.Closer.SHUTDOWN, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(),
                    "server shutting down");
            ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutting down"))
                    .addListener(ChannelFutureListener.CLOSE);
        });
        long remainingMs = Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        tracker.webSockets().newCloseFuture().awaitUninterruptibly(Math.min(remainingMs, 2_000));
        tracker.channels().close().awaitUninterruptibly(1_000);
        managementTracker.channels().close().awaitUninterruptibly(1_000);
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (ownStore != null) {
            ownStore.close();
        }
        metrics.close();
        log.info("stopped");
        stopped.complete(drained);
        return drained;
    }

    @Override
    public void close() {
        stop();
    }

    /** Collects what a server is made of before it starts. */
    public static final class Builder {
        private final ServerConfig config;
        private final List<Consumer<Dispatcher.Builder>> extraMethods = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private SessionStore sessionStore;
        private CreateThrottle createThrottle;
        private SslProvider tlsProvider;
        private Duration tlsReloadInterval = TLS_RELOAD_INTERVAL;

        private Builder(ServerConfig config) {
            this.config = config;
        }

        /** The clock for every time decision (session expiry, challenge steps, throttling). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Where sessions live; by default an in-process store sized by the config and the heap. A
         * store given here is not closed by the server: whoever made it closes it.
         */
        public Builder sessionStore(SessionStore store) {
            this.sessionStore = store;
            return this;
        }

        /** What limits session creates per client address; by default this process's own sliding window. */
        public Builder createThrottle(CreateThrottle throttle) {
            this.createThrottle = throttle;
            return this;
        }

        /** Adds a method that takes a JSON tree beside the built-in ones (tests, embedding applications). */
        public Builder method(String name, MethodHandler handler) {
            extraMethods.add(methods -> methods.method(name, handler));
            return this;
        }

        /** Adds a method with marshallers of its own beside the built-in ones. */
        public <P, R> Builder method(MethodDescriptor<P, R> descriptor, TypedMethodHandler<P, R> handler) {
            extraMethods.add(methods -> methods.method(descriptor, handler));
            return this;
        }

        /** Tests: TLS by this provider instead of the best one available. */
        Builder tlsProvider(SslProvider v) { tlsProvider = v; return this; }

        /** Tests: how often the certificate files are looked at. */
        Builder tlsReloadInterval(Duration v) { tlsReloadInterval = v; return this; }

        /** Binds the port and starts serving. */
        public RpcServer start() {
            try {
                return new RpcServer(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding", e);
            }
        }
    }
}
