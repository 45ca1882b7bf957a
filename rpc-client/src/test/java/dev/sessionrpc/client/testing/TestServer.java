package dev.sessionrpc.client.testing;

import dev.sessionrpc.server.RpcServer;
import dev.sessionrpc.server.ServerConfig;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real server on a free port with two methods for client tests: {@code test.echo} answers
 * with its params, {@code test.never} never answers (and tells {@link #awaitWithheldCall()}).
 */
public final class TestServer implements AutoCloseable {

    private final RpcServer server;
    private final Semaphore withheld;

    private TestServer(RpcServer server, Semaphore withheld) {
        this.server = server;
        this.withheld = withheld;
    }

    public static TestServer start() {
        return start(0, Clock.systemUTC());
    }

    public static TestServer start(Clock clock) {
        return start(0, clock);
    }

    public static TestServer start(int port, Clock clock) {
        return start(settings().port(port).build(), clock);
    }

    /** A server that speaks only TLS, with this certificate chain and PKCS#8 key (PEM files). */
    public static TestServer startTls(Path cert, Path key) {
        return start(settings().tls(cert, key).build(), Clock.systemUTC());
    }

    private static ServerConfig.Builder settings() {
        return ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .shutdownTimeout(Duration.ofMillis(100));
    }

    private static TestServer start(ServerConfig config, Clock clock) {
        Semaphore withheld = new Semaphore(0);
        return new TestServer(RpcServer.builder(config)
                .clock(clock)
                .method("test.echo", (params, ctx) -> CompletableFuture.completedFuture(params))
                .method("test.never", (params, ctx) -> {
                    withheld.release();
                    return new CompletableFuture<>();
                })
                .start(), withheld);
    }

    /** Waits until the server has received a {@code test.never} call, so that it is surely in flight. */
    public void awaitWithheldCall() throws InterruptedException {
        if (!withheld.tryAcquire(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the server never received the test.never call");
        }
    }

    public int port() {
        return server.port();
    }

    /** WebSocket connections the server has open now, as its own metrics count them. */
    public int openWebSockets() {
        return (int) server.metrics().registry().get("rpc_connections_open").gauge().value();
    }

    /**
     * Requests of {@code method} the server has answered with {@code outcome} ({@code "ok"} or the
     * error's name), as its metrics count them; counted before the reply is written.
     */
    public long requests(String method, String outcome) {
        Timer timer = server.metrics().registry().find("rpc_requests").tags("method", method, "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/rpc");
    }

    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + port() + "/rpc");
    }

    public URI wssUri() {
        return URI.create("wss://127.0.0.1:" + port() + "/rpc");
    }

    public URI httpsUri() {
        return URI.create("https://127.0.0.1:" + port() + "/rpc");
    }

    @Override
    public void close() {
        server.close();
    }
}
