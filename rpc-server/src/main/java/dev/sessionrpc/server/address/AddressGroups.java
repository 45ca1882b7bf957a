package dev.sessionrpc.server.address;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Decides which client addresses count as one client for per-address limits. One IPv6 host
 * usually holds a whole /64 and can pick a new address from it for every request, so IPv6
 * addresses are grouped by a prefix (by default their /64); an IPv4 address, also when it arrives
 * written as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), is its own group. A group is a small
 * fixed-size value, cheap to keep as a key of a bounded table.
 */
public final class AddressGroups {

    public static final int DEFAULT_IPV6_PREFIX = 64;

    private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;

    private final int ipv6Prefix;
    private final long highMask;
    private final long lowMask;

    public AddressGroups(int ipv6Prefix) {
        if (ipv6Prefix < 1 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("ipv6Prefix must be between 1 and 128, was " + ipv6Prefix);
        }
        this.ipv6Prefix = ipv6Prefix;
        this.highMask = ipv6Prefix >= 64 ? -1L : -1L << (64 - ipv6Prefix);
        this.lowMask = ipv6Prefix <= 64 ? 0L : ipv6Prefix == 128 ? -1L : -1L << (128 - ipv6Prefix);
    }

    public int ipv6Prefix() {
        return ipv6Prefix;
    }

    /** The group this address belongs to. */
    public Group groupOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return new Group(0, IPV4_MAPPED | (ByteBuffer.wrap(bytes).getInt() & 0xFFFF_FFFFL), 128);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long high = b.getLong();
        long low = b.getLong();
        if (high == 0 && (low >>> 32) == 0xFFFF) {
            return new Group(0, low, 128);
        }
        return new Group(high & highMask, low & lowMask, ipv6Prefix);
    }

    /**
     * One group of addresses: its first address as 128 bits (IPv4 as IPv4-mapped IPv6) and the
     * prefix length that spans it.
     */
    public record Group(long high, long low, int prefixLength) {

        /** {@code 203.0.113.7} for IPv4, {@code 2001:db8:1:2::/64} for an IPv6 group. */
        @Override
        public String toString() {
            if (high == 0 && (low >>> 32) == 0xFFFF && prefixLength == 128) {
                return NetUtil.bytesToIpAddress(ByteBuffer.allocate(4).putInt((int) low).array());
            }
            String first = NetUtil.bytesToIpAddress(ByteBuffer.allocate(16).putLong(high).putLong(low).array());
            return prefixLength == 128 ? first : first + "/" + prefixLength;
        }
    }
}
