package dev.sessionrpc.server.dispatch;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What a method may know about where a call came from: the client's address (the socket peer,
 * or the forwarded address when the peer is a trusted proxy) and the transport it used.
 */
public record RequestContext(InetAddress clientAddress, Transport transport) {

    /** How the call arrived. */
    public enum Transport { WEBSOCKET, HTTP }

    public RequestContext {
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(transport, "transport");
    }
}
