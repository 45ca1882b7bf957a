package dev.sessionrpc.protocol;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a method threw into a wire error. An {@link RpcException} keeps its catalogue
 * entry and message; anything else becomes {@code InternalServerError} whose message carries only
 * a correlation id, while the stack trace goes to the log under that id. Nothing internal leaks.
 */
public final class ErrorMapper {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    /** The field that carries the correlation id in JSON logs, for a log shipper to index. */
    private static final String CORRELATION_ID = "correlation_id";

    private ErrorMapper() {
    }

    public static JsonRpcError toError(Throwable failure, String method) {
        Throwable t = unwrap(failure);
        if (t instanceof RpcException e) {
            return e.toError();
        }
        String correlationId = correlationId();
        log.atError().addKeyValue(CORRELATION_ID, correlationId).setCause(t)
                .log("method {} failed unexpectedly [correlation id {}]", method, correlationId);
        return internalError(correlationId);
    }

    /**
     * The error for a call that was not done by its deadline: InternalServerError with a
     * correlation id, and one log line under that id (no stack trace: nothing was thrown).
     */
    public static JsonRpcError timedOut(String method, Duration timeout) {
        String correlationId = correlationId();
        log.atWarn().addKeyValue(CORRELATION_ID, correlationId)
                .log("method {} not done within {} ms; answered InternalServerError [correlation id {}]",
                        method, timeout.toMillis(), correlationId);
        return internalError(correlationId);
    }

    private static String correlationId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static JsonRpcError internalError(String correlationId) {
        return JsonRpcError.of(ErrorCode.INTERNAL_SERVER_ERROR,
                "Internal server error; quote correlation id " + correlationId + " when reporting it");
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
