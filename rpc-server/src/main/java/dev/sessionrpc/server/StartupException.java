package dev.sessionrpc.server;

/**
 * The server cannot start for a reason the operator can fix (a port in use, an address that is
 * not this machine's), told in one line that names the flag; no stack trace, as nothing in the
 * server is at fault.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
