package dev.sessionrpc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.session.Challenge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestSourceTest {

    static final String PRIVATE_HASH = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    static final String SECRET = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";
    static final String PUBLIC_HASH = "a".repeat(64);
    static final String SESSION_ID = "0123456789abcdef".repeat(4);

    private final JsonRpcCodec codec = new JsonRpcCodec();

    /** The request's params as the tree a tree-based method would be given. */
    private static JsonNode params(JsonRpcRequest request) {
        try {
            return JsonMarshallers.readParams(request.params(), JsonMarshallers.TREE_PARAMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonRpcRequest decode(RequestSource source, long id) {
        byte[] buf = new byte[source.maxLength()];
        int n = source.write(buf, id);
        DecodedMessage m = codec.decode(buf, 0, n);
        assertThat(m.isFailure()).as("decodes: %s", m.failure()).isFalse();
        return m.entries().get(0).request();
    }

    @Test
    void sessionGetCarriesTheAnswerOfTheCurrentStep() {
        AtomicLong now = new AtomicLong(59);
        SessionGetSource source = new SessionGetSource(
                List.of(new SessionGetSource.ClientSession(SESSION_ID, PUBLIC_HASH, PRIVATE_HASH, SECRET)), now::get);

        JsonRpcRequest r = decode(source, 1234567890123L);
        assertThat(r.method()).isEqualTo("session.get");
        assertThat(r.id().text()).isEqualTo("1234567890123");
        var ident = params(r).get("session_identification");
        assertThat(ident.get("session_id").asText()).isEqualTo(SESSION_ID);
        assertThat(ident.get("client_public_hash").asText()).isEqualTo(PUBLIC_HASH);
        assertThat(ident.get("challenge_answer").asText()).isEqualTo("ff9de30a5c59034ccddf8efbdb124fcd7a5475ec");

        now.set(1_111_111_109L);
        assertThat(params(decode(source, 1)).get("session_identification").get("challenge_answer").asText())
                .isEqualTo("b0b245f80fae8b928bc4bde3beaf30070ed17242");
        assertThat(new Challenge(SECRET, PRIVATE_HASH).answerAt(1_111_111_109L))
                .isEqualTo("b0b245f80fae8b928bc4bde3beaf30070ed17242");
    }

    @Test
    void sessionsAreUsedInTurn() {
        String other = "fedcba9876543210".repeat(4);
        SessionGetSource source = new SessionGetSource(List.of(
                new SessionGetSource.ClientSession(SESSION_ID, PUBLIC_HASH, PRIVATE_HASH, SECRET),
                new SessionGetSource.ClientSession(other, PUBLIC_HASH, PRIVATE_HASH, SECRET)), () -> 59);
        assertThat(params(decode(source, 1)).get("session_identification").get("session_id").asText()).isEqualTo(SESSION_ID);
        assertThat(params(decode(source, 2)).get("session_identification").get("session_id").asText()).isEqualTo(other);
        assertThat(params(decode(source, 3)).get("session_identification").get("session_id").asText()).isEqualTo(SESSION_ID);
    }

    @Test
    void createEchoAndOtherMethodsAreValidRequests() {
        JsonRpcRequest create = decode(new TemplateSource(Workloads.createBody(PUBLIC_HASH, "b".repeat(64))), 7);
        assertThat(create.method()).isEqualTo("session.create");
        assertThat(params(create).get("name").asText()).isEqualTo("RpcBench");
        assertThat(decode(Workloads.echoSource(), 0).id().text()).isEqualTo("0");
        JsonRpcRequest info = decode(TemplateSource.method("help.get_server_information", null), 42);
        assertThat(info.params()).isNull();
        assertThat(info.id().text()).isEqualTo("42");
    }
}
