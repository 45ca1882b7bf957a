package dev.sessionrpc.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.protocol.Params;
import dev.sessionrpc.server.RpcServer;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.dispatch.MethodHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The methods of the JSON-RPC 2.0 specification's examples (section 7) plus a few that tests of
 * the transport need: an echo; methods that fail unexpectedly (by throwing, with a failed stage,
 * with a stage that breaks); one whose result cannot be written; and one whose replies the test
 * completes by hand. Register them on an {@code RpcServer.Builder} or a {@code Dispatcher.Builder}
 * with {@link #registerAll(BiConsumer)}; each instance records the notifications it received.
 */
public final class ExampleMethods {

    /** The message of the exception {@code boom} throws; a test asserts it never reaches the wire. */
    public static final String SECRET_FAILURE = "secret internal detail 0xDEADBEEF";

    private final BlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();
    private final BlockingQueue<CompletableFuture<Object>> pending = new LinkedBlockingQueue<>();

    /** Params received by {@code notify_hello} and {@code update}, in arrival order. */
    public BlockingQueue<JsonNode> notifications() {
        return notifications;
    }

    /** Futures handed out by {@code slow}, in call order; complete them to answer. */
    public BlockingQueue<CompletableFuture<Object>> pending() {
        return pending;
    }

    public Map<String, MethodHandler> methods() {
        Map<String, MethodHandler> m = new LinkedHashMap<>();
        m.put("subtract", (params, ctx) -> {
            Params p = Params.of(params, List.of("minuend", "subtrahend"));
            return CompletableFuture.completedFuture(
                    p.require("minuend").asLong() - p.require("subtrahend").asLong());
        });
        m.put("sum", (params, ctx) -> {
            long sum = 0;
            for (JsonNode n : params) {
                sum += n.asLong();
            }
            return CompletableFuture.completedFuture(sum);
        });
        m.put("notify_hello", (params, ctx) -> {
            notifications.add(params);
            return CompletableFuture.completedFuture(null);
        });
        m.put("update", (params, ctx) -> {
            notifications.add(params);
            return CompletableFuture.completedFuture(null);
        });
        m.put("get_data", (params, ctx) -> CompletableFuture.completedFuture(List.of("hello", 5)));
        m.put("echo", (params, ctx) -> CompletableFuture.completedFuture(params));
        m.put("boom", (params, ctx) -> {
            throw new IllegalStateException(SECRET_FAILURE);
        });
        m.put("boom_later", (params, ctx) -> CompletableFuture.failedFuture(new IllegalStateException(SECRET_FAILURE)));
        m.put("unwritable", (params, ctx) -> CompletableFuture.completedFuture(new Unwritable()));
        m.put("broken_stage", (params, ctx) -> new BrokenStage());
        m.put("slow", (params, ctx) -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        });
        return m;
    }

    /** The next future handed out by {@code slow}, waiting a generous while; fails when none comes. */
    public CompletableFuture<Object> nextPending() {
        try {
            CompletableFuture<Object> f = pending.poll(10, TimeUnit.SECONDS);
            if (f == null) {
                throw new AssertionError("no call of slow arrived");
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Registers every method through {@code register}, e.g. {@code builder::method}. */
    /**
     * Starts a server on a free loopback port with one event loop and these methods, configured
     * by {@code config} on top of the defaults.
     */
    public static RpcServer startServer(UnaryOperator<ServerConfig.Builder> config) {
        RpcServer.Builder b = RpcServer.builder(config.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)).build());
        new ExampleMethods().registerAll(b::method);
        return b.start();
    }

    public void registerAll(BiConsumer<String, MethodHandler> register) {
        methods().forEach(register);
    }

    /** A result Jackson cannot write: its only property throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException(SECRET_FAILURE);
        }
    }

    /** A stage that breaks when anything is chained onto it, as a faulty async library's might. */
    private static final class BrokenStage extends CompletableFuture<Object> {
        @Override
        public <U> CompletableFuture<U> handle(BiFunction<? super Object, Throwable, ? extends U> fn) {
            throw new IllegalStateException(SECRET_FAILURE);
        }
    }
}
