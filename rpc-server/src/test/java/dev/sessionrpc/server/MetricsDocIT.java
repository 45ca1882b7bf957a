package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.testing.Eventually;
import dev.sessionrpc.server.testing.RepoFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric that the README, the alert rules and the dashboard in deploy/ name is one the
 * server exports under exactly that name, so that an operator's query never silently matches
 * nothing; and the latency histograms keep the documented small bucket set.
 */
class MetricsDocIT {

    private static final Pattern METRIC = Pattern.compile("\\b((?:rpc|jvm|process|netty)_[a-z0-9_]+)");
    /** A sample line's metric name. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RpcServer server;

    @BeforeAll
    static void start() {
        server = RpcServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyMetricTheDocsAndDeployFilesNameIsExported() throws Exception {
        post("{\"jsonrpc\":\"2.0\",\"method\":\"help.get_server_information\",\"id\":1}");
        System.gc(); // so that the GC pause timer has a sample, as it has on any server that ran a while
        Set<String> named = new TreeSet<>();
        named.addAll(namesIn(readmeMetricsSection()));
        named.addAll(namesIn(RepoFiles.read("deploy/prometheus/rpc-server-alerts.yml")));
        named.addAll(namesIn(RepoFiles.read("deploy/grafana/rpc-server-dashboard.json")));
        assertThat(named).as("metric names found in the docs").hasSizeGreaterThan(15);

        Eventually.succeeds("every named metric exported", () -> {
            Set<String> exported = exported(scrape());
            Set<String> missing = new TreeSet<>();
            for (String name : named) {
                boolean family = exported.contains(name + "_count") || exported.contains(name + "_bucket");
                if (!exported.contains(name) && !family) {
                    missing.add(name);
                }
            }
            assertThat(missing).as("named in README.md or deploy/ but not exported").isEmpty();
        });
    }

    @Test
    void latencyHistogramsHaveTheDocumentedBucketsAndNoMore() throws Exception {
        post("{\"jsonrpc\":\"2.0\",\"method\":\"help.get_server_information\",\"id\":2}");
        String scrape = scrape();
        Matcher m = Pattern.compile("^rpc_requests_seconds_bucket\\{.*method=\"help.get_server_information\".*outcome=\"ok\".*\\} ",
                Pattern.MULTILINE).matcher(scrape);
        int buckets = 0;
        while (m.find()) {
            buckets++;
        }
        assertThat(buckets).as("buckets of one series, +Inf included").isBetween(2, 17);
    }

    /** The README's paragraph on metrics, from its "**Metrics.**" to the next bullet. */
    private static String readmeMetricsSection() throws IOException {
        String readme = RepoFiles.read("README.md");
        int start = readme.indexOf("- **Metrics.**");
        assertThat(start).as("a Metrics bullet in README.md").isNotNegative();
        int end = readme.indexOf("\n- ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static Set<String> namesIn(String text) {
        return firstGroups(METRIC, text);
    }

    private static Set<String> exported(String scrape) {
        return firstGroups(SAMPLE, scrape);
    }

    private static Set<String> firstGroups(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void post(String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/rpc"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
