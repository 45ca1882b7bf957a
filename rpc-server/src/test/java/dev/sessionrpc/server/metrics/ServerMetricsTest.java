package dev.sessionrpc.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What one scrape of /metrics tells an operator beyond the server's own meters. */
class ServerMetricsTest {

    @Test
    void aScrapeShowsTheJvmTheProcessAndNettysAllocator() {
        ServerMetrics metrics = ServerMetrics.prometheus();
        try {
            String scrape = metrics.scrape();
            for (String series : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "process_files_open_files", "process_uptime_seconds",
                "netty_allocator_memory_used"}) {
                assertThat(Pattern.compile("^" + series + "\\{?", Pattern.MULTILINE).matcher(scrape).find())
                        .as("%s in the scrape", series).isTrue();
            }
        } finally {
            metrics.close();
        }
    }

    @Test
    void disabledMetricsScrapeNothing() {
        ServerMetrics metrics = ServerMetrics.disabled();
        assertThat(metrics.enabled()).isFalse();
        assertThat(metrics.scrape()).isNull();
        metrics.close();
    }
}
