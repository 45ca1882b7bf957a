package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Every connection against the connection limit, and the in-flight count a drain waits for. */
class ConnectionTrackerTest {

    private final ServerMetrics metrics = ServerMetrics.prometheus();
    private final ConnectionTracker tracker = new ConnectionTracker(2, 2, metrics);

    @Test
    void connectionsAreCountedUpToTheLimitAndGivenBackOnClose() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        assertThat(tracker.tryOpen(a)).isTrue();
        assertThat(tracker.tryOpen(b)).isTrue();
        assertThat(tracker.tryOpen(c)).isFalse();
        assertThat(metrics.scrape()).containsPattern("rpc_connections_refused_total\\{limit=\"total\"} 1(\\.0)?\\n");
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
    void oneAddressGroupHoldsAtMostItsLimitAndGetsPlacesBackOnClose() throws Exception {
        AddressGroups groups = new AddressGroups(64);
        AddressGroups.Group home = groups.groupOf(InetAddress.getByName("2001:db8:1:2::10"));
        AddressGroups.Group neighbour = groups.groupOf(InetAddress.getByName("2001:db8:1:2:ffff::99"));
        AddressGroups.Group elsewhere = groups.groupOf(InetAddress.getByName("2001:db8:1:3::10"));
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        EmbeddedChannel c = new EmbeddedChannel();
        assertThat(tracker.tryClaimAddress(a, home)).isTrue();
        assertThat(tracker.tryClaimAddress(a, home)).as("a connection counts once").isTrue();
        assertThat(tracker.tryClaimAddress(b, neighbour)).as("same /64").isTrue();
        assertThat(tracker.tryClaimAddress(c, home)).isFalse();
        assertThat(metrics.scrape()).containsPattern("rpc_connections_refused_total\\{limit=\"per_address\"} 1(\\.0)?\\n");
        assertThat(tracker.tryClaimAddress(c, elsewhere)).isTrue();
        assertThat(tracker.connectionsOf(home)).isEqualTo(2);
        a.close();
        assertThat(tracker.connectionsOf(home)).isEqualTo(1);
        b.close();
        c.close();
        assertThat(tracker.connectionsOf(home)).isZero();
        assertThat(tracker.connectionsOf(elsewhere)).isZero();
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
