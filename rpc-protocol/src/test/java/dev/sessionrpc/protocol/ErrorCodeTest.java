package dev.sessionrpc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The error catalogue of PROTOCOL.md §2 and §5: codes, wire names and lookups. */
class ErrorCodeTest {

    @Test
    void wireNamesAreUnique() {
        Set<String> names = new HashSet<>();
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(names.add(c.wireName())).as("duplicate wire name %s", c.wireName()).isTrue();
        }
    }

    @Test
    void codesAreUniqueExceptTheTwoMeaningsOfInvalidParams() {
        Set<Integer> codes = new HashSet<>();
        for (ErrorCode c : ErrorCode.values()) {
            if (!codes.add(c.code())) {
                assertThat(c).as("only MissingParameter may share a code").isEqualTo(ErrorCode.MISSING_PARAMETER);
                assertThat(c.code()).isEqualTo(-32602);
            }
        }
    }

    @Test
    void standardCodesCarryTheStandardNames() {
        assertThat(ErrorCode.PARSE_ERROR.code()).isEqualTo(-32700);
        assertThat(ErrorCode.PARSE_ERROR.wireName()).isEqualTo("ParseError");
        assertThat(ErrorCode.INVALID_REQUEST.code()).isEqualTo(-32600);
        assertThat(ErrorCode.INVALID_REQUEST.wireName()).isEqualTo("InvalidRequest");
        assertThat(ErrorCode.METHOD_NOT_FOUND.code()).isEqualTo(-32601);
        assertThat(ErrorCode.METHOD_NOT_FOUND.wireName()).isEqualTo("MethodNotFound");
        assertThat(ErrorCode.INVALID_PARAMS.code()).isEqualTo(-32602);
        assertThat(ErrorCode.INVALID_PARAMS.wireName()).isEqualTo("InvalidParams");
        assertThat(ErrorCode.MISSING_PARAMETER.code()).isEqualTo(-32602);
        assertThat(ErrorCode.MISSING_PARAMETER.wireName()).isEqualTo("MissingParameter");
        assertThat(ErrorCode.INTERNAL_ERROR.code()).isEqualTo(-32603);
        assertThat(ErrorCode.INTERNAL_ERROR.wireName()).isEqualTo("InternalError");
    }

    @Test
    void projectCodesMatchTheProtocolTable() {
        assertThat(Arrays.stream(new ErrorCode[] {
            ErrorCode.INVALID_CLIENT_PUBLIC_HASH, ErrorCode.INVALID_CLIENT_PRIVATE_HASH, ErrorCode.INVALID_PLATFORM,
            ErrorCode.INVALID_VERSION, ErrorCode.INVALID_CLIENT_NAME, ErrorCode.INVALID_SESSION_IDENTIFICATION,
            ErrorCode.SESSION_NOT_FOUND, ErrorCode.BAD_SESSION_CHALLENGE_ANSWER, ErrorCode.SESSION_EXPIRED,
            ErrorCode.INTERNAL_SERVER_ERROR, ErrorCode.TOO_MANY_REQUESTS})
                .map(c -> c.code() + " " + c.wireName() + " " + c.set()))
                .containsExactly(
                        "8456 InvalidClientPublicHash VALIDATION", "8457 InvalidClientPrivateHash VALIDATION",
                        "8458 InvalidPlatform VALIDATION", "8459 InvalidVersion VALIDATION",
                        "8460 InvalidClientName VALIDATION", "8461 InvalidSessionIdentification VALIDATION",
                        "8707 SessionNotFound AUTHENTICATION", "8711 BadSessionChallengeAnswer AUTHENTICATION",
                        "8714 SessionExpired AUTHENTICATION", "16384 InternalServerError SERVER",
                        "16386 TooManyRequests SERVER");
    }

    @Test
    void theStandardsFullTablesAreInTheCatalogue() {
        for (int code = 8448; code <= 8471; code++) {
            assertThat(ErrorCode.byCode(code)).as("validation %d", code).get()
                    .extracting(ErrorCode::set).isEqualTo(ErrorSet.VALIDATION);
        }
        for (int code = 8704; code <= 8714; code++) {
            assertThat(ErrorCode.byCode(code)).as("authentication %d", code).get()
                    .extracting(ErrorCode::set).isEqualTo(ErrorSet.AUTHENTICATION);
        }
        for (int code = 12544; code <= 12553; code++) {
            assertThat(ErrorCode.byCode(code)).as("network %d", code).get()
                    .extracting(ErrorCode::set).isEqualTo(ErrorSet.NETWORK);
        }
        for (int code = 16384; code <= 16385; code++) {
            assertThat(ErrorCode.byCode(code)).as("server %d", code).get()
                    .extracting(ErrorCode::set).isEqualTo(ErrorSet.SERVER);
        }
    }

    @Test
    void byNameFindsEveryEntryByItsWireName() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(ErrorCode.byName(c.wireName())).contains(c);
        }
        assertThat(ErrorCode.byName("NoSuchError")).isEmpty();
        assertThat(ErrorCode.byName("parseerror")).isEmpty();
    }

    @Test
    void byCodeFindsEveryEntryAndPrefersInvalidParamsForMinus32602() {
        for (ErrorCode c : ErrorCode.values()) {
            if (c != ErrorCode.MISSING_PARAMETER) {
                assertThat(ErrorCode.byCode(c.code())).contains(c);
            }
        }
        assertThat(ErrorCode.byCode(-32602)).contains(ErrorCode.INVALID_PARAMS);
        assertThat(ErrorCode.byCode(0)).isEmpty();
        assertThat(ErrorCode.byCode(16387)).isEmpty();
    }

    @Test
    void errorObjectsAlwaysCarryTheWireNameInData() {
        for (ErrorCode c : ErrorCode.values()) {
            JsonRpcError e = JsonRpcError.of(c, "m");
            assertThat(e.code()).isEqualTo(c.code());
            assertThat(e.name()).isEqualTo(c.wireName());
            assertThat(e.data()).containsEntry("name", c.wireName());
        }
    }
}
