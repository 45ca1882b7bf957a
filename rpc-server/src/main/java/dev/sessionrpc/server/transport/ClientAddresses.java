package dev.sessionrpc.server.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Finds the client's address. The socket's peer is the client unless the peer is a trusted
 * proxy; then {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the
 * first address that is not one is the client. Addresses are parsed as literals, never resolved.
 */
public final class ClientAddresses {

    /** The address of a WebSocket's client, fixed when it upgrades. */
    public static final AttributeKey<InetAddress> CLIENT = AttributeKey.valueOf("rpc.client-address");

    private final Set<InetAddress> trustedProxies;

    public ClientAddresses(List<InetAddress> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    /** Whether this peer is a proxy whose {@code X-Forwarded-For} is believed. */
    public boolean isTrustedProxy(InetAddress peer) {
        return trustedProxies.contains(peer);
    }

    public InetAddress resolve(Channel channel, HttpHeaders headers) {
        InetAddress peer = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> forwarded = headers.getAll("X-Forwarded-For");
        InetAddress client = peer;
        for (int h = forwarded.size() - 1; h >= 0; h--) {
            String[] hops = forwarded.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = parse(hops[i].trim());
                if (hop == null) {
                    return client;
                }
                client = hop;
                if (!trustedProxies.contains(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    private static InetAddress parse(String literal) {
        String s = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        return NetUtil.createInetAddressFromIpAddressString(s);
    }
}
