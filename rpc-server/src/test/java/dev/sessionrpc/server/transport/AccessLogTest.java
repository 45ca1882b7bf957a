package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcError;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import dev.sessionrpc.server.testing.LogCapture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one access line says about a message: each request's method and outcome, never params. */
class AccessLogTest {

    private static final JsonRpcCodec CODEC = new JsonRpcCodec();

    private static DecodedMessage decode(String text) {
        return CODEC.decode(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonRpcResponse ok(long id) {
        return JsonRpcResponse.success(new RequestId(RequestId.Kind.NUMBER, String.valueOf(id)), "secret result");
    }

    @Test
    void aBatchNamesEachMethodWithItsOutcomeAndNoParams() {
        DecodedMessage message = decode("[{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"x\":\"secret param\"},\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"session.create\",\"id\":2},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"session.logout\"},"
                + "{\"foo\":1}]");
        JsonRpcResponse throttled = JsonRpcResponse.failure(new RequestId(RequestId.Kind.NUMBER, "2"),
                JsonRpcError.of(ErrorCode.TOO_MANY_REQUESTS, "slow down"));
        JsonRpcProcessor.Reply reply = new JsonRpcProcessor.Reply(true,
                List.of(ok(1), throttled, message.entries().get(3).invalid()));
        assertThat(AccessLog.describe(message, reply))
                .isEqualTo("[session.get ok, session.create TooManyRequests, session.logout notification, - InvalidRequest]");
    }

    @Test
    void aMessageThatIsNoJsonIsNamedByItsError() {
        DecodedMessage message = decode("{nope");
        assertThat(AccessLog.describe(message, new JsonRpcProcessor.Reply(false, List.of(message.failure()))))
                .isEqualTo("- ParseError");
    }

    @Test
    void aMethodNameIsCutShortAndKeptPrintable() {
        String name = "evil\\u001b[31m" + "x".repeat(100);
        DecodedMessage message = decode("{\"jsonrpc\":\"2.0\",\"method\":\"" + name + "\",\"id\":1}");
        String line = AccessLog.describe(message, new JsonRpcProcessor.Reply(false, List.of(ok(1))));
        assertThat(line).startsWith("evil?[31mxxx").endsWith("... ok").hasSizeLessThan(80).doesNotContain("\u001b");
    }

    @Test
    void whenOnEachMessageIsOneLineWithItsConnectionAndTime() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try (LogCapture log = LogCapture.of("dev.sessionrpc.server.access", Level.INFO)) {
            DecodedMessage message = decode("{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"id\":1}");
            AccessLog on = AccessLog.of(true);
            on.answered(ch, "ws", message, new JsonRpcProcessor.Reply(false, List.of(ok(1))), on.start());
            AccessLog.OFF.answered(ch, "ws", message, new JsonRpcProcessor.Reply(false, List.of(ok(1))), 0);
            assertThat(log.lines()).singleElement().asString()
                    .matches(ch.id().asShortText() + " .* ws session\\.get ok \\d+\\.\\d{3} ms");
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
