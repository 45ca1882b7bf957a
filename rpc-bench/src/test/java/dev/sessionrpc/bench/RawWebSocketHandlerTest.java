package dev.sessionrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawWebSocketHandlerTest {

    @Test
    void acceptKeyIsTheOneOfRfc6455() {
        assertThat(RawWebSocketHandler.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
