package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code --allowed-origins} list: what an entry may be, and how a request's Origin is matched. */
class AllowedOriginsTest {

    private static HttpHeaders origin(String... values) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String v : values) {
            headers.add(HttpHeaderNames.ORIGIN, v);
        }
        return headers;
    }

    @ParameterizedTest
    @CsvSource({
        "https://app.example, https://app.example",
        "HTTPS://App.EXAMPLE, https://app.example",
        "https://app.example:443, https://app.example",
        "http://app.example:80, http://app.example",
        "http://app.example:443, http://app.example:443",
        "http://127.0.0.1:8000, http://127.0.0.1:8000",
        "http://[::1]:8000, http://[::1]:8000",
        "chrome-extension://abcdef, chrome-extension://abcdef",
    })
    void originsAreComparedAsBrowsersSerializeThem(String text, String serialized) {
        assertThat(AllowedOrigins.normalize(text)).isEqualTo(serialized);
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "file://", "file:///etc/passwd", "app.example", "https://app.example/",
        "https://app.example/path", "https://app.example:0", "https://app.example:65536", "https://user@app.example",
        "https://app.example?x", "//app.example", "https://", "https://app.example:"})
    void entriesThatAreNoOriginAreRefusedAtStartupNamingThem(String entry) {
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("https://ok.example", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + entry + "'");
    }

    @Test
    void blankEntriesAreSkippedSoAnEmptyVariableMeansNone() {
        assertThat(AllowedOrigins.of(List.of(""))).isSameAs(AllowedOrigins.NONE);
        assertThat(AllowedOrigins.of(List.of(" https://app.example ", "")).check(origin("https://app.example")))
                .isEqualTo(AllowedOrigins.Verdict.ALLOWED);
    }

    @Test
    void aRequestWithoutOriginIsAbsentNotRefused() {
        assertThat(AllowedOrigins.NONE.check(origin())).isEqualTo(AllowedOrigins.Verdict.ABSENT);
    }

    @Test
    void aListedOriginIsAllowedInAnyCaseAndOthersAreRefused() {
        AllowedOrigins allowed = AllowedOrigins.of(List.of("https://app.example", "http://localhost:3000"));
        assertThat(allowed.check(origin("https://APP.example"))).isEqualTo(AllowedOrigins.Verdict.ALLOWED);
        assertThat(allowed.check(origin("http://localhost:3000"))).isEqualTo(AllowedOrigins.Verdict.ALLOWED);
        assertThat(allowed.check(origin("http://localhost:3001"))).isEqualTo(AllowedOrigins.Verdict.REFUSED);
        assertThat(allowed.check(origin("http://app.example"))).isEqualTo(AllowedOrigins.Verdict.REFUSED);
        assertThat(allowed.check(origin("null"))).isEqualTo(AllowedOrigins.Verdict.REFUSED);
        assertThat(allowed.check(origin("file://"))).isEqualTo(AllowedOrigins.Verdict.REFUSED);
    }

    @Test
    void starAllowsAnyOriginButNeverTwoOriginHeaders() {
        AllowedOrigins any = AllowedOrigins.of(List.of("*"));
        assertThat(any.check(origin("null"))).isEqualTo(AllowedOrigins.Verdict.ALLOWED);
        assertThat(any.check(origin("file://"))).isEqualTo(AllowedOrigins.Verdict.ALLOWED);
        assertThat(any.check(origin("https://a.example", "https://a.example"))).isEqualTo(AllowedOrigins.Verdict.REFUSED);
    }
}
