package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who the client is behind zero or more trusted proxies; a spoofed header must not win. */
class ClientAddressesTest {

    private static final InetAddress PROXY = address("10.0.0.1");
    private static final InetAddress PROXY2 = address("10.0.0.2");
    private final ClientAddresses addresses = new ClientAddresses(List.of(PROXY, PROXY2));
    private EmbeddedChannel channel;

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private Channel from(InetAddress peer) {
        channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress(peer, 40_000);
            }
        };
        return channel;
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private static HttpHeaders forwarded(String... values) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (String v : values) {
            h.add("X-Forwarded-For", v);
        }
        return h;
    }

    @Test
    void untrustedPeerIsTheClientWhateverItForwards() {
        InetAddress peer = address("203.0.113.9");
        assertThat(addresses.resolve(from(peer), forwarded("198.51.100.1"))).isEqualTo(peer);
    }

    @Test
    void trustedProxyForwardsTheRightmostUntrustedAddress() {
        assertThat(addresses.resolve(from(PROXY), forwarded("1.1.1.1, 198.51.100.7, 10.0.0.2")))
                .isEqualTo(address("198.51.100.7"));
    }

    @Test
    void spoofedLeftmostEntriesAreIgnored() {
        assertThat(addresses.resolve(from(PROXY), forwarded("6.6.6.6", "198.51.100.7")))
                .isEqualTo(address("198.51.100.7"));
    }

    @Test
    void trustedProxyWithoutHeaderIsItselfTheClient() {
        assertThat(addresses.resolve(from(PROXY), forwarded())).isEqualTo(PROXY);
    }

    @Test
    void unparsableHopStopsTheWalkAtTheLastTrustedHop() {
        assertThat(addresses.resolve(from(PROXY), forwarded("198.51.100.7, evil.example.com, 10.0.0.2")))
                .isEqualTo(PROXY2);
    }

    @Test
    void bracketedIpv6HopIsUnderstood() {
        assertThat(addresses.resolve(from(PROXY), forwarded("[2001:db8::1]"))).isEqualTo(address("2001:db8::1"));
    }

    @Test
    void hostNamesAreNeverResolved() {
        assertThat(addresses.resolve(from(PROXY), forwarded("localhost"))).isEqualTo(PROXY);
    }
}
