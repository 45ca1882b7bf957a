package dev.sessionrpc.server.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressGroupsTest {

    private final AddressGroups bySlash64 = new AddressGroups(AddressGroups.DEFAULT_IPV6_PREFIX);

    private static InetAddress ip(String literal) {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(literal);
        assertThat(address).as(literal).isNotNull();
        return address;
    }

    /** {@code ::ffff:1.2.3.4} kept as an IPv6 address, as a dual-stack socket may report it. */
    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        return address;
    }

    @Test
    void twoAddressesInOneSlash64AreOneGroupAndAnotherSlash64IsNot() {
        AddressGroups.Group group = bySlash64.groupOf(ip("2001:db8:1:2::1"));
        assertThat(bySlash64.groupOf(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isEqualTo(group);
        assertThat(bySlash64.groupOf(ip("2001:db8:1:3::1"))).isNotEqualTo(group);
        assertThat(group).hasToString("2001:db8:1:2::/64");
    }

    @Test
    void anIpv4MappedAddressIsTheGroupOfItsIpv4Address() throws Exception {
        assertThat(bySlash64.groupOf(mapped(1, 2, 3, 4))).isEqualTo(bySlash64.groupOf(ip("1.2.3.4")))
                .hasToString("1.2.3.4");
        assertThat(bySlash64.groupOf(mapped(1, 2, 3, 5))).isNotEqualTo(bySlash64.groupOf(ip("1.2.3.4")));
    }

    @Test
    void everyIpv4AddressIsItsOwnGroup() {
        assertThat(bySlash64.groupOf(ip("203.0.113.1"))).isNotEqualTo(bySlash64.groupOf(ip("203.0.113.2")));
    }

    @Test
    void aPrefixOf128MakesEveryIpv6AddressItsOwnGroup() {
        AddressGroups one = new AddressGroups(128);
        assertThat(one.groupOf(ip("2001:db8:1:2::1"))).isNotEqualTo(one.groupOf(ip("2001:db8:1:2::2")))
                .hasToString("2001:db8:1:2::1");
    }

    @Test
    void prefixesOtherThan64CutAtTheirOwnBit() {
        AddressGroups by48 = new AddressGroups(48);
        assertThat(by48.groupOf(ip("2001:db8:1:2::1"))).isEqualTo(by48.groupOf(ip("2001:db8:1:ffff::1")))
                .isNotEqualTo(by48.groupOf(ip("2001:db8:2::1")));
        AddressGroups by72 = new AddressGroups(72);
        assertThat(by72.groupOf(ip("2001:db8::00ff:1:1:1"))).isEqualTo(by72.groupOf(ip("2001:db8::0000:2:2:2")))
                .isNotEqualTo(by72.groupOf(ip("2001:db8::0100:1:1:1")));
    }

    @Test
    void aPrefixOutsideOneTo128IsRefused() {
        assertThatThrownBy(() -> new AddressGroups(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressGroups(129)).isInstanceOf(IllegalArgumentException.class);
    }
}
