package dev.sessionrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How failures inside methods become wire errors, and that nothing internal leaks. */
class ErrorMapperTest {

    private static final Pattern CORRELATION_ID = Pattern.compile("\\b[0-9a-f]{16}\\b");

    @Test
    void rpcExceptionKeepsItsCodeNameMessageAndParameter() {
        JsonRpcError e = ErrorMapper.toError(new RpcException(ErrorCode.INVALID_PLATFORM, "Invalid platform", "platform"), "m");
        assertThat(e.code()).isEqualTo(8458);
        assertThat(e.name()).isEqualTo("InvalidPlatform");
        assertThat(e.message()).isEqualTo("Invalid platform");
        assertThat(e.parameter()).isEqualTo("platform");
    }

    @Test
    void rpcExceptionWithoutParameterHasNoParameterMember() {
        JsonRpcError e = ErrorMapper.toError(new RpcException(ErrorCode.SESSION_NOT_FOUND, "Session not found"), "m");
        assertThat(e.data()).containsOnlyKeys("name");
    }

    @Test
    void rpcExceptionExtraDataIsCarried() {
        JsonRpcError e = ErrorMapper.toError(new RpcException(ErrorCode.TOO_MANY_REQUESTS, "slow down", null,
                Map.of("retry_after", 12)), "m");
        assertThat(e.data()).containsEntry("name", "TooManyRequests").containsEntry("retry_after", 12);
    }

    @Test
    void rpcExceptionWrappedByFuturesIsUnwrapped() {
        RpcException cause = new RpcException(ErrorCode.MISSING_PARAMETER, "Missing parameter: x", "x");
        assertThat(ErrorMapper.toError(new CompletionException(cause), "m").name()).isEqualTo("MissingParameter");
        assertThat(ErrorMapper.toError(new ExecutionException(new CompletionException(cause)), "m").parameter())
                .isEqualTo("x");
    }

    @Test
    void anyOtherExceptionIsAnInternalServerErrorThatRevealsNothing() {
        String secret = "password=hunter2 at /etc/secret";
        JsonRpcError e = ErrorMapper.toError(new IllegalStateException(secret, new IOException("disk /dev/sda1")), "m");
        assertThat(e.code()).isEqualTo(16384);
        assertThat(e.name()).isEqualTo("InternalServerError");
        assertThat(e.message()).doesNotContain("hunter2", "IllegalStateException", "sda1", "/etc");
        assertThat(e.data()).containsOnlyKeys("name");
    }

    @Test
    void internalServerErrorMessageCarriesACorrelationId() {
        JsonRpcError e = ErrorMapper.toError(new NullPointerException(), "m");
        Matcher m = CORRELATION_ID.matcher(e.message());
        assertThat(m.find()).as("correlation id in %s", e.message()).isTrue();
    }

    @Test
    void eachUnexpectedFailureGetsItsOwnCorrelationId() {
        String first = ErrorMapper.toError(new RuntimeException("a"), "m").message();
        String second = ErrorMapper.toError(new RuntimeException("a"), "m").message();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void wrappedUnexpectedFailureIsStillInternalServerError() {
        JsonRpcError e = ErrorMapper.toError(new CompletionException(new IllegalArgumentException("internal detail")), "m");
        assertThat(e.code()).isEqualTo(16384);
        assertThat(e.message()).doesNotContain("internal detail");
    }

    @Test
    void errorsThrownAsErrorsAreMappedToo() {
        JsonRpcError e = ErrorMapper.toError(new StackOverflowError("deep"), "m");
        assertThat(e.code()).isEqualTo(16384);
        assertThat(e.message()).doesNotContain("deep");
    }

    @Test
    void extraDataCannotReplaceTheWireNameOrParameter() {
        JsonRpcError e = ErrorMapper.toError(new RpcException(ErrorCode.INVALID_CLIENT_NAME, "Invalid client name", "name",
                Map.of("name", "the client's bad name", "parameter", "other")), "m");
        assertThat(e.name()).isEqualTo("InvalidClientName");
        assertThat(e.parameter()).isEqualTo("name");
    }
}
