package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Every connection against the connection limit, and the in-flight count a drain waits for. */
class ConnectionTrackerTest {

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final ConnectionTracker tracker = new ConnectionTracker(2, metrics);

    @Test
    void connectionsAreCountedUpToTheLimitAndGivenBackOnClose() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        assertThat(tracker.tryOpen(a)).isTrue();
        assertThat(tracker.tryOpen(b)).isTrue();
        assertThat(tracker.tryOpen(c)).isFalse();
        assertThat(metrics.scrape()).containsPattern("rpc_connections_refused_total(\\{[^}]*\\})? 1(\\.0)?\\n");
        assertThat(tracker.openConnections()).isEqualTo(2);
        a.close();
        assertThat(tracker.openConnections()).isEqualTo(1);
        assertThat(tracker.tryOpen(c)).isTrue();
        b.close();
        c.close();
        assertThat(tracker.openConnections()).isZero();
        assertThat(tracker.channels().size()).isZero();
    }

    @Test
    void inFlightCountsUpAndDown() {
        tracker.requestsStarted(3);
        tracker.requestsFinished(1);
        assertThat(tracker.inFlight()).isEqualTo(2);
        tracker.requestsFinished(2);
        assertThat(tracker.inFlight()).isZero();
    }
}
