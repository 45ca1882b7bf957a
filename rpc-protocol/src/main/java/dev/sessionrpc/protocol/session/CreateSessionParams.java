package dev.sessionrpc.protocol.session;

/**
 * The params of {@code session.create}, as checked by their reader: two SHA-256 hashes in hex
 * and what the client says about itself. The private hash never appears in logs.
 */
public record CreateSessionParams(String publicHash, String privateHash, ClientInfo client) {

    @Override
    public String toString() {
        return "CreateSessionParams[publicHash=" + publicHash + ", privateHash=<hidden>, client=" + client + "]";
    }
}
