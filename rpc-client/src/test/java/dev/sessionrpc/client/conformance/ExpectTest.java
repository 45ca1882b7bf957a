package dev.sessionrpc.client.conformance;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionrpc.client.conformance.Expect.Err;
import dev.sessionrpc.client.conformance.Expect.Id;
import org.junit.jupiter.api.Test;

class ExpectTest {

    private static Reply text(String raw) {
        return new Reply.Text(raw);
    }

    @Test
    void numberIdsAreComparedAsTheLiteralTextOnTheWire() {
        assertThatCode(() -> Expect.answered(text("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1.5}"), Id.of("1.5"), "id 1.5"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Expect.answered(text("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1.50}"), Id.of("1.5"), "id 1.5"))
                .isInstanceOf(CheckFailed.class).hasMessageContaining("got id 1.50");
        assertThatThrownBy(() -> Expect.answered(text("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":12345678901234567000}"),
                Id.of("12345678901234567890"), "exact id"))
                .isInstanceOf(CheckFailed.class).hasMessageContaining("got id 12345678901234567000");
        assertThatThrownBy(() -> Expect.answered(text("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":\"7\"}"), Id.of("7"), "id 7"))
                .isInstanceOf(CheckFailed.class).hasMessageContaining("got id \"7\"");
    }

    @Test
    void anErrorMustMatchCodeNameParameterAndId() {
        String reply = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":8456,\"message\":\"m\",\"data\":{\"name\":\"InvalidClientPublicHash\","
                + "\"parameter\":\"public_hash\"}},\"id\":\"create\"}";
        assertThatCode(() -> Expect.error(text(reply), new Err(8456, "InvalidClientPublicHash", "public_hash", Id.of("\"create\""))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Expect.error(text(reply), new Err(8456, "InvalidClientPublicHash", "private_hash", Id.of("\"create\""))))
                .isInstanceOf(CheckFailed.class).hasMessageContaining("data.parameter \"public_hash\"");
        assertThatThrownBy(() -> Expect.error(text(reply), new Err(8457, null, null, Id.of("\"create\""))))
                .isInstanceOf(CheckFailed.class).hasMessageStartingWith("expected error 8457 with id \"create\", got code 8456");
    }

    @Test
    void anArrayIsNotASingleErrorObject() {
        assertThatThrownBy(() -> Expect.error(text("[{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"x\"},\"id\":null}]"),
                new Err(-32600, null, null, Id.NULL)))
                .isInstanceOf(CheckFailed.class).hasMessageContaining("not a single object");
    }

    @Test
    void aReplyWithoutJsonrpc20IsNotAReply() {
        assertThatThrownBy(() -> Expect.answered(text("{\"result\":1,\"id\":1}"), Id.of("1"), "a reply"))
                .isInstanceOf(CheckFailed.class).hasMessageContaining("jsonrpc \"2.0\"");
    }

    @Test
    void silenceIsOnlyProvedSilence() {
        assertThatThrownBy(() -> Expect.silence(new Reply.NoReply(500), "no reply"))
                .isInstanceOf(CheckFailed.class).hasMessage("expected no reply, got no reply within 500 ms");
    }
}
