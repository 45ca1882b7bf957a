package dev.sessionrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Named and positional params read alike; missing and null are the same absence. */
class ParamsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ORDER = List.of("minuend", "subtrahend");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void namedAndPositionalParamsReadTheSame() throws Exception {
        Params named = Params.of(json("{\"subtrahend\":23,\"minuend\":42}"), ORDER);
        Params positional = Params.of(json("[42,23]"), ORDER);
        assertThat(named.require("minuend").asInt()).isEqualTo(42);
        assertThat(positional.require("minuend").asInt()).isEqualTo(42);
        assertThat(named.require("subtrahend").asInt()).isEqualTo(23);
        assertThat(positional.require("subtrahend").asInt()).isEqualTo(23);
    }

    @Test
    void missingNullAndShortArraysAreAbsent() throws Exception {
        assertThat(Params.of(null, ORDER).get("minuend")).isNull();
        assertThat(Params.of(json("{\"minuend\":null}"), ORDER).get("minuend")).isNull();
        assertThat(Params.of(json("[1]"), ORDER).get("subtrahend")).isNull();
        assertThat(Params.of(json("[1]"), ORDER).get("undocumented")).isNull();
    }

    @Test
    void requiredAbsentParamIsMissingParameterNamingIt() throws Exception {
        assertThatThrownBy(() -> Params.of(json("{\"minuend\":1}"), ORDER).require("subtrahend"))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MISSING_PARAMETER);
                    assertThat(e.parameter()).isEqualTo("subtrahend");
                    assertThat(e.toError().code()).isEqualTo(-32602);
                    assertThat(e.toError().name()).isEqualTo("MissingParameter");
                });
    }

    @Test
    void morePositionalParamsThanTheMethodTakesIsInvalidParams() throws Exception {
        assertThatThrownBy(() -> Params.of(json("[1,2,3]"), ORDER))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS);
                    assertThat(e.toError().name()).isEqualTo("InvalidParams");
                });
    }
}
