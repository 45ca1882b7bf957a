package dev.sessionrpc.client.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.client.conformance.Check.Group;
import dev.sessionrpc.client.transport.TrustedCertificates;
import dev.sessionrpc.client.transport.WebSocketConnector;
import dev.sessionrpc.client.transport.WebSocketOptions;
import dev.sessionrpc.protocol.CodecLimits;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Runs the checks of PROTOCOL.md against any server, from outside: it sends raw messages,
 * reads raw replies and compares, knowing nothing of the server but its addresses and what the
 * options say. Each check runs on each transport it applies to (on a WebSocket of its own, or as
 * its own HTTP requests), and its result is reported as soon as it is known.
 */
public final class ConformanceSuite {

    /** What to check and where. */
    public record Options(URI webSocketUri, URI httpUri, Set<String> groups, String method, JsonNode params,
                          int maxBatchLength, int maxMessageBytes, Duration replyTimeout, Duration quietPeriod,
                          Path caFile) {

        public static final String DEFAULT_METHOD = "help.get_server_information";
        /** The server's default: a server started with another {@code --max-batch} is checked with its value. */
        public static final int DEFAULT_MAX_BATCH_LENGTH = CodecLimits.DEFAULT_MAX_BATCH_LENGTH;
        public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
        public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(500);

        public Options {
            if (webSocketUri == null && httpUri == null) {
                throw new IllegalArgumentException("give a WebSocket address, an HTTP address, or both");
            }
            groups = Set.copyOf(groups);
            groups.forEach(Group::byLabel);
            Objects.requireNonNull(method, "method");
            if (params != null && !params.isObject() && !params.isArray()) {
                throw new IllegalArgumentException("params must be a JSON object or array");
            }
        }

        /** Trusting the JDK trust store for {@code wss://} and {@code https://}. */
        public Options(URI webSocketUri, URI httpUri, Set<String> groups, String method, JsonNode params,
                       int maxBatchLength, int maxMessageBytes, Duration replyTimeout, Duration quietPeriod) {
            this(webSocketUri, httpUri, groups, method, params, maxBatchLength, maxMessageBytes, replyTimeout, quietPeriod, null);
        }
    }

    /** The tally of one run. */
    public record Summary(int passed, int failed) {
        public String line() {
            return passed + " passed, " + failed + " failed";
        }
    }

    private final Options options;
    private final Clock clock;

    public ConformanceSuite(Options options) {
        this(options, Clock.systemUTC());
    }

    /** @param clock the clock challenge answers are computed with */
    public ConformanceSuite(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
    }

    /** Runs every selected check on every given transport, reporting each result as it comes. */
    public Summary run(Consumer<CheckResult> report) {
        EnumSet<Group> groups = EnumSet.noneOf(Group.class);
        options.groups().forEach(g -> groups.add(Group.byLabel(g)));
        if (groups.isEmpty()) {
            groups.addAll(EnumSet.allOf(Group.class));
        }
        Target target = new Target(options.method(), options.params(), options.maxBatchLength(), options.maxMessageBytes());
        int[] tally = new int[2];
        Consumer<CheckResult> counting = r -> {
            tally[r.passed() ? 0 : 1]++;
            report.accept(r);
        };
        // built first, so that an unreadable CA file stops the run before any check
        SslContext webSocketTls = options.webSocketUri() != null && "wss".equalsIgnoreCase(options.webSocketUri().getScheme())
                ? TrustedCertificates.forWebSocket(options.caFile()) : null;
        SSLContext httpTls = options.httpUri() != null ? TrustedCertificates.forHttp(options.caFile()) : null;
        if (options.webSocketUri() != null) {
            EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("conformance", true), NioIoHandler.newFactory());
            try {
                WebSocketConnector connector = new WebSocketConnector(options.webSocketUri(), loop, new WebSocketOptions(
                        options.replyTimeout(), options.replyTimeout(), Math.max(WebSocketOptions.DEFAULT_MAX_MESSAGE_BYTES,
                        options.maxMessageBytes() * 2), WebSocketOptions.NO_PINGS, true), webSocketTls);
                runAll("ws", checks(groups, target), counting,
                        () -> new WebSocketProbe(connector, options.replyTimeout(), options.quietPeriod()));
            } finally {
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        if (options.httpUri() != null) {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(options.replyTimeout())
                    .sslContext(httpTls)
                    .build();
            runAll("http", checks(groups, target), counting, () -> new HttpProbe(http, options.httpUri(), options.replyTimeout()));
        }
        return new Summary(tally[0], tally[1]);
    }

    private List<Check> checks(Set<Group> groups, Target target) {
        List<Check> checks = new ArrayList<>();
        if (groups.contains(Group.JSONRPC)) {
            checks.addAll(JsonRpcChecks.all(target));
        }
        if (groups.contains(Group.PROTOCOL)) {
            checks.addAll(ProtocolChecks.all(target));
        }
        if (groups.contains(Group.SESSION)) {
            checks.addAll(SessionChecks.all(clock));
        }
        return checks;
    }

    private interface ProbeFactory {
        Probe open();
    }

    private static void runAll(String transport, List<Check> checks, Consumer<CheckResult> report, ProbeFactory probes) {
        for (Check check : checks) {
            if (!check.transports().contains(transport)) {
                continue;
            }
            String name = check.group().label() + ": " + check.name();
            CheckResult result;
            try (Probe probe = probes.open()) {
                check.body().run(probe);
                result = CheckResult.pass(transport, name);
            } catch (CheckFailed e) {
                result = CheckResult.fail(transport, name, e.expected(), e.got());
            } catch (RuntimeException e) {
                result = CheckResult.fail(transport, name, "the check to run", "an error in the suite: " + e);
            }
            report.accept(result);
        }
    }
}
