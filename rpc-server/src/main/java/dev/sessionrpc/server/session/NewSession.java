package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.session.ClientInfo;

/**
 * A validated {@code session.create} request: the public hash in lower case, the private hash
 * exactly as the client holds it (its answers are computed from that text), and the client.
 */
public record NewSession(String publicHash, String privateHash, ClientInfo client) {

    @Override
    public String toString() {
        return "NewSession[publicHash=" + publicHash + ", privateHash=<hidden>, client=" + client + "]";
    }
}
