package dev.sessionrpc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyScannerTest {

    private static ReplyScanner scan(String json) {
        byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        return ReplyScanner.scan(b, 2, b.length - 4);
    }

    @Test
    void readsTheIdOfASuccessWhateverTheResultHolds() {
        ReplyScanner r = scan("{\"jsonrpc\":\"2.0\",\"result\":{\"id\":\"abc\",\"n\":[1,{\"id\":7}],\"s\":\"q\\\"}\"},\"id\":4711}");
        assertThat(r.malformed()).isFalse();
        assertThat(r.id()).isEqualTo(4711);
        assertThat(r.isError()).isFalse();
    }

    @Test
    void readsTheCodeOfAnErrorWithTheIdFirst() {
        ReplyScanner r = scan("{ \"id\" : 12 , \"jsonrpc\":\"2.0\",\"error\":{\"message\":\"m\",\"code\":8711,\"data\":{\"name\":\"x\"}}}");
        assertThat(r.id()).isEqualTo(12);
        assertThat(r.isError()).isTrue();
        assertThat(r.errorCode()).isEqualTo(8711);
    }

    @Test
    void negativeCodesAreRead() {
        assertThat(scan("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"m\"},\"id\":null}").errorCode())
                .isEqualTo(-32602);
    }

    @Test
    void anIdThatIsNotAnIntegerIsNoId() {
        assertThat(scan("{\"result\":1,\"id\":\"5\"}").id()).isEqualTo(ReplyScanner.NO_ID);
        assertThat(scan("{\"result\":1,\"id\":1.5}").id()).isEqualTo(ReplyScanner.NO_ID);
        assertThat(scan("{\"result\":1,\"id\":null}").id()).isEqualTo(ReplyScanner.NO_ID);
    }

    @Test
    void anEchoedRequestHasAnIdAndNoError() {
        ReplyScanner r = scan("{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"a\":{\"b\":\"c\"}},\"id\":99}");
        assertThat(r.id()).isEqualTo(99);
        assertThat(r.isError()).isFalse();
    }

    @Test
    void brokenTextIsMalformed() {
        assertThat(scan("{\"result\":{\"id\":1").malformed()).isTrue();
        assertThat(scan("[1,2]").malformed()).isTrue();
        assertThat(scan("{\"result\" 1}").malformed()).isTrue();
    }
}
