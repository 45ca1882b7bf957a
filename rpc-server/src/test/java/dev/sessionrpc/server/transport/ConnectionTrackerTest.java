package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** WebSocket places against the connection limit, and the in-flight count a drain waits for. */
class ConnectionTrackerTest {

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final ConnectionTracker tracker = new ConnectionTracker(2, metrics);

    @Test
    void placesAreTakenUpToTheLimitAndGivenBackOnClose() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        assertThat(tracker.tryReserveWebSocket(a)).isTrue();
        assertThat(tracker.tryReserveWebSocket(b)).isTrue();
        assertThat(tracker.tryReserveWebSocket(c)).isFalse();
        assertThat(metrics.scrape()).containsPattern("rpc_connections_refused_total(\\{[^}]*\\})? 1(\\.0)?\\n");
        a.close();
        assertThat(tracker.webSocketCount()).isEqualTo(1);
        assertThat(tracker.tryReserveWebSocket(c)).isTrue();
        b.close();
        c.close();
        assertThat(tracker.webSocketCount()).isZero();
    }

    @Test
    void oneChannelHoldsAtMostOnePlace() {
        EmbeddedChannel a = new EmbeddedChannel();
        assertThat(tracker.tryReserveWebSocket(a)).isTrue();
        assertThat(tracker.tryReserveWebSocket(a)).isTrue();
        assertThat(tracker.tryReserveWebSocket(a)).isTrue();
        assertThat(tracker.webSocketCount()).isEqualTo(1);
        a.close();
        assertThat(tracker.webSocketCount()).isZero();
    }

    @Test
    void nothingIsReservedWhileDraining() {
        tracker.startDraining();
        assertThat(tracker.draining()).isTrue();
        assertThat(tracker.tryReserveWebSocket(new EmbeddedChannel())).isFalse();
        assertThat(tracker.webSocketCount()).isZero();
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
