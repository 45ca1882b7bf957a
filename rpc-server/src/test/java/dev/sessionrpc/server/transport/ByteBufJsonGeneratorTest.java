package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcError;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.ServerInformation;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionDescriptors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Replies written straight into a ByteBuf are, byte for byte, what Jackson's own UTF-8 generator writes. */
class ByteBufJsonGeneratorTest {

    private static final JsonRpcCodec CODEC = new JsonRpcCodec();
    private static final ObjectMapper MAPPER = CODEC.mapper();

    private static String jackson(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            MAPPER.writeValue(g, value);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String direct(Object value) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        try {
            try (JsonGenerator g = new ByteBufJsonGenerator(buf, MAPPER)) {
                MAPPER.writeValue(g, value);
            }
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private static void assertSameAsJackson(Object value) throws IOException {
        assertThat(direct(value)).isEqualTo(jackson(value));
    }

    @Test
    void stringsWithEscapesControlCharactersAndAnyUnicodeAreWrittenAsJacksonWritesThem() throws IOException {
        Random random = new Random(9);
        List<String> strings = new ArrayList<>(List.of("", "plain", "quote \" backslash \\ slash /",
                "\b\t\n\f\r\u0000\u001f\u007f", "é£€😀", "\ud83d", "\ude00x", "\u2028\u2029\ufeff"));
        int[] bounds = {0x20, 0x80, 0x800, 0xD800, 0xE000, 0x10000};
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                sb.append((char) random.nextInt(bounds[random.nextInt(bounds.length)]));
            }
            strings.add(sb.toString());
        }
        for (String s : strings) {
            assertSameAsJackson(Map.of("k" + s, s));
        }
    }

    @Test
    void numbersOfEveryKindAreWrittenAsJacksonWritesThem() throws IOException {
        ArrayNode numbers = JsonNodeFactory.instance.arrayNode()
                .add(0).add(-7).add(9).add(10).add(-10).add(1_795_000_000L).add(Long.MIN_VALUE).add(Long.MAX_VALUE)
                .add(Integer.MIN_VALUE).add(Integer.MAX_VALUE).add(new BigInteger("123456789012345678901234567890"))
                .add(1.5).add(1e300).add(-0.0).add(Double.NaN).add(Double.POSITIVE_INFINITY).add(1.25f).add(Float.NaN)
                .add(new BigDecimal("1.50")).add(new BigDecimal("1E+400")).add(new BigDecimal("-1.2E-400"))
                .add(true).add(false).addNull();
        assertSameAsJackson(numbers);
        assertSameAsJackson(List.of(1, 2L, 3.0, 4.0f, new BigDecimal("5.000"), BigInteger.TEN));
    }

    @Test
    void recordsMapsAndWholeRepliesAreWrittenAsJacksonWritesThem() throws IOException {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", List.of(Map.of(), List.of(), "x"));
        nested.put("b", null);
        assertSameAsJackson(nested);
        assertSameAsJackson(new Session("id", List.of("f"), true, 1, 2, 3, new ClientInfo("L", "N", "1.0")));
        assertSameAsJackson(ServerInformation.sessionsOnly("Net", 600, 3600));

        JsonRpcResponse typed = JsonRpcResponse.success(RequestId.ofNumber("12345678901234567890"),
                ServerInformation.sessionsOnly("Net", 600, 3600), SessionDescriptors.SERVER_INFORMATION.result());
        JsonRpcResponse error = JsonRpcResponse.failure(RequestId.ofString("é"), JsonRpcError.of(ErrorCode.INVALID_PLATFORM,
                "platform must be \"short\"", "platform", Map.of("retry_after", 3L)));
        ByteBuf buf = Unpooled.buffer();
        try {
            try (JsonGenerator g = new ByteBufJsonGenerator(buf, MAPPER)) {
                CODEC.encodeBatch(List.of(typed, error), g);
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            CODEC.encodeBatch(List.of(typed, error), expected);
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }

    @Test
    void theThreadsGeneratorWritesEachReplyAsANewOneWouldEvenAfterAWriteThatFailedHalfway() throws IOException {
        Session session = new Session("id", List.of("f"), true, 1, 2, 3, new ClientInfo("L", "N", "1.0"));
        ByteBuf broken = Unpooled.buffer();
        try {
            JsonGenerator g = ByteBufJsonGenerator.reusedFor(broken, MAPPER);
            g.writeStartObject();
            g.writeFieldName("a");
            g.writeStartArray(); // left open, as by a result that threw partway
        } finally {
            broken.release();
        }
        for (Object value : List.of(session, List.of(1, Map.of("k", "v")), "plain")) {
            ByteBuf buf = Unpooled.buffer();
            try {
                MAPPER.writeValue(ByteBufJsonGenerator.reusedFor(buf, MAPPER), value);
                assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(jackson(value));
            } finally {
                buf.release();
            }
        }
    }
}
