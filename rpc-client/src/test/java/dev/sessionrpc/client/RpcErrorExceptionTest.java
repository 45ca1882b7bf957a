package dev.sessionrpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.ErrorSet;
import dev.sessionrpc.protocol.JsonRpcError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcErrorExceptionTest {

    @Test
    void dataNameTellsMissingParameterFromInvalidParamsThoughBothAreMinus32602() {
        RpcErrorException missing = new RpcErrorException("session.get",
                new JsonRpcError(-32602, "Missing parameter", Map.of("name", "MissingParameter", "parameter", "session_identification")));
        RpcErrorException invalid = new RpcErrorException("x", new JsonRpcError(-32602, "Invalid params", Map.of("name", "InvalidParams")));

        assertThat(missing.errorCode()).isEqualTo(ErrorCode.MISSING_PARAMETER);
        assertThat(missing.parameter()).isEqualTo("session_identification");
        assertThat(invalid.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMS);
    }

    @Test
    void aSessionErrorBelongsToTheAuthenticationSetAndSaysWhatFailed() {
        RpcErrorException e = new RpcErrorException("session.get", new JsonRpcError(8714, "The session expired",
                Map.of("name", "SessionExpired", "parameter", "session_identification.session_id")));

        assertThat(e.is(ErrorCode.SESSION_EXPIRED)).isTrue();
        assertThat(e.inSet(ErrorSet.AUTHENTICATION)).isTrue();
        assertThat(e.getMessage()).isEqualTo(
                "session.get failed: 8714 SessionExpired (parameter session_identification.session_id): The session expired");
    }

    @Test
    void withoutDataNameTheCodeFindsTheEntryAndAnUnknownCodeFindsNone() {
        RpcErrorException byCode = new RpcErrorException("m", new JsonRpcError(8707, "gone", Map.of()));
        RpcErrorException unknown = new RpcErrorException("m", new JsonRpcError(-32000, "server-defined", Map.of("name", "Custom")));

        assertThat(byCode.errorCode()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        assertThat(byCode.name()).isEqualTo("SessionNotFound");
        assertThat(unknown.errorCode()).isNull();
        assertThat(unknown.name()).isEqualTo("Custom");
        assertThat(unknown.inSet(ErrorSet.SERVER)).isFalse();
    }

    @Test
    void aNameThatDisagreesWithTheCodeDoesNotWin() {
        RpcErrorException e = new RpcErrorException("m", new JsonRpcError(8711, "bad answer", Map.of("name", "SessionNotFound")));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
    }
}
