package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.ParamsBytes;
import dev.sessionrpc.server.ServerConfig;
import dev.sessionrpc.server.dispatch.Dispatcher;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a frame's bytes reach the codec: at most one copy, and params that outlive the frame's buffer. */
class JsonRpcProcessorTest {

    private static final String PARAMS = "{\"session_identification\" : {\"session_id\": \"abc\"}}";
    private static final String MESSAGE = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + PARAMS + ",\"id\":1}";

    private final JsonRpcProcessor processor = new JsonRpcProcessor(new JsonRpcCodec(),
            Dispatcher.builder(ServerMetrics.disabled()).build(), ServerConfig.DEFAULT_REQUEST_TIMEOUT,
            ServerMetrics.disabled(), AccessLog.OFF);

    private static ParamsBytes params(DecodedMessage message) {
        return message.entries().get(0).request().params();
    }

    @Test
    void aDirectBufferIsCopiedOnceAndParamsPointIntoThatCopy() {
        ByteBuf frame = Unpooled.directBuffer().writeBytes(MESSAGE.getBytes(StandardCharsets.UTF_8));
        try {
            ParamsBytes params = params(processor.decode(frame));
            assertThat(params.bytes()).hasSize(MESSAGE.length());
            assertThat(params.offset()).isEqualTo(MESSAGE.indexOf(PARAMS));
            assertThat(params.text()).isEqualTo(PARAMS);
        } finally {
            frame.release();
        }
    }

    @Test
    void aHeapBufferIsParsedInPlaceAndParamsKeepOnlyTheirOwnBytesWhenItIsReused() {
        byte[] message = ("  " + MESSAGE).getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.wrappedBuffer(message).skipBytes(2);
        ParamsBytes params = params(processor.decode(frame));
        frame.release();
        java.util.Arrays.fill(message, (byte) 'x'); // a pooled buffer's array is reused once released
        assertThat(params.bytes()).hasSize(PARAMS.length());
        assertThat(params.text()).isEqualTo(PARAMS);
    }
}
