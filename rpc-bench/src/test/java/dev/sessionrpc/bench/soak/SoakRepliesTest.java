package dev.sessionrpc.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.bench.load.ReplyScanner;
import dev.sessionrpc.bench.soak.Kind.Verdict;
import dev.sessionrpc.bench.soak.PendingRequests.Pending;
import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.session.Challenge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the soak judges replies and matches them to requests, and that its requests say what they mean. */
class SoakRepliesTest {

    static final String PRIVATE_HASH = "866d3218b239d39c174fa2b16f54e0fa58f9c69fce8c2d941c12a47a7bc75229";
    static final String SECRET = "U7IJH7BKTV7NJHCGBG7CD4JQHQOPC2VSOVUDICON74656ENMZGZINUL537KH4VCC";
    static final String SESSION_ID = "0123456789abcdef".repeat(4);

    private final JsonRpcCodec codec = new JsonRpcCodec();

    private static Verdict judge(Kind kind, String reply) {
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        ReplyScanner r = ReplyScanner.scan(b, 0, b.length);
        return kind.classify(r.isError(), r.errorCode());
    }

    private static String error(ErrorCode code, String id) {
        return "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code.code() + ",\"message\":\"x\"},\"id\":" + id + "}";
    }

    @Test
    void getAndCreateMustSucceed() {
        assertThat(judge(Kind.GET, "{\"jsonrpc\":\"2.0\",\"result\":{\"id\":\"" + SESSION_ID + "\"},\"id\":7}"))
                .isEqualTo(Verdict.OK);
        assertThat(judge(Kind.GET, error(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER, "7"))).isEqualTo(Verdict.WRONG);
        assertThat(judge(Kind.CREATE, error(ErrorCode.TOO_MANY_REQUESTS, "8"))).isEqualTo(Verdict.WRONG);
    }

    @Test
    void badInputCountsAsAnsweredOnlyWithItsDocumentedError() {
        assertThat(judge(Kind.PARSE_ERROR, error(ErrorCode.PARSE_ERROR, "null"))).isEqualTo(Verdict.EXPECTED_ERROR);
        assertThat(judge(Kind.MISSING_PARAMETER, error(ErrorCode.MISSING_PARAMETER, "3"))).isEqualTo(Verdict.EXPECTED_ERROR);
        assertThat(judge(Kind.BAD_PUBLIC_HASH, error(ErrorCode.INVALID_CLIENT_PUBLIC_HASH, "3"))).isEqualTo(Verdict.EXPECTED_ERROR);
        assertThat(judge(Kind.BAD_ANSWER, error(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER, "3"))).isEqualTo(Verdict.EXPECTED_ERROR);
        assertThat(judge(Kind.UNKNOWN_SESSION, error(ErrorCode.SESSION_NOT_FOUND, "3"))).isEqualTo(Verdict.EXPECTED_ERROR);
        assertThat(judge(Kind.UNKNOWN_METHOD, error(ErrorCode.METHOD_NOT_FOUND, "3"))).isEqualTo(Verdict.EXPECTED_ERROR);

        assertThat(judge(Kind.UNKNOWN_SESSION, error(ErrorCode.INTERNAL_ERROR, "3"))).isEqualTo(Verdict.WRONG);
        assertThat(judge(Kind.BAD_ANSWER, "{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":3}")).isEqualTo(Verdict.WRONG);
    }

    @Test
    void aReplyWithoutIdAnswersTheOldestRequestThatWasNotJson() {
        PendingRequests p = new PendingRequests();
        p.add(new Pending(1, Kind.GET, 0, 0, null));
        p.add(new Pending(-1, Kind.PARSE_ERROR, 10, 10, null));
        p.add(new Pending(3, Kind.UNKNOWN_METHOD, 20, 20, null));
        p.add(new Pending(-1, Kind.PARSE_ERROR, 30, 30, null));

        assertThat(p.takeIdless().intendedNanos()).isEqualTo(10);
        assertThat(p.take(3).kind()).isEqualTo(Kind.UNKNOWN_METHOD);
        assertThat(p.take(3)).as("answered twice").isNull();
        assertThat(p.take(-1)).as("a parse error is never matched by id").isNull();
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.takeIdless().intendedNanos()).isEqualTo(30);
        assertThat(p.takeIdless()).isNull();
    }

    @Test
    void requestsExpireByTheTimeTheyWereSent() {
        PendingRequests p = new PendingRequests();
        p.add(new Pending(1, Kind.GET, 0, 1_000, null));
        p.add(new Pending(2, Kind.GET, 0, 4_000, null));
        assertThat(p.expire(6_001, 5_000)).isEqualTo(1);
        assertThat(p.take(1)).isNull();
        assertThat(p.take(2)).isNotNull();
    }

    @Test
    void eachKindIsRenderedAsTheRequestItNames() {
        SessionPool pool = new SessionPool();
        pool.add(SESSION_ID, "a".repeat(64), PRIVATE_HASH, SECRET);
        SessionPool.Entry s = pool.any();
        String[] hashes = {"a".repeat(64), "b".repeat(64)};

        JsonRpcRequest get = decode(SoakRequests.render(Kind.GET, 11, s, null, 59));
        assertThat(get.method()).isEqualTo("session.get");
        assertThat(get.id().text()).isEqualTo("11");
        assertThat(params(get).get("session_identification").get("challenge_answer").asText())
                .isEqualTo(new Challenge(SECRET, PRIVATE_HASH).answerAt(59));
        assertThat(params(decode(SoakRequests.render(Kind.BAD_ANSWER, 12, s, null, 59)))
                .get("session_identification").get("challenge_answer").asText()).isEqualTo("0".repeat(40));
        assertThat(params(decode(SoakRequests.render(Kind.CREATE, 13, null, hashes, 59))).get("private_hash").asText())
                .isEqualTo("b".repeat(64));
        assertThat(params(decode(SoakRequests.render(Kind.MISSING_PARAMETER, 14, null, null, 59))).size()).isZero();
        assertThat(params(decode(SoakRequests.render(Kind.BAD_PUBLIC_HASH, 15, null, null, 59))).get("public_hash").asText())
                .isEqualTo("not-a-hash");
        assertThat(decode(SoakRequests.render(Kind.UNKNOWN_SESSION, 16, null, null, 59)).method()).isEqualTo("session.get");
        assertThat(decode(SoakRequests.render(Kind.UNKNOWN_METHOD, 17, null, null, 59)).method())
                .isEqualTo("session.no_such_method");

        byte[] notJson = SoakRequests.render(Kind.PARSE_ERROR, 18, null, null, 59).getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decode(notJson, 0, notJson.length).isFailure()).isTrue();
    }

    @Test
    void theSessionIdIsFoundInsideAReply() {
        byte[] reply = ("{\"jsonrpc\":\"2.0\",\"result\":{\"id\":\"" + SESSION_ID + "\"},\"id\":7}").getBytes(StandardCharsets.UTF_8);
        byte[] id = SESSION_ID.getBytes(StandardCharsets.US_ASCII);
        assertThat(SoakConnection.indexOf(reply, 0, reply.length, id)).isEqualTo(33);
        assertThat(SoakConnection.indexOf(reply, 40, reply.length - 40, id)).isEqualTo(-1);
    }

    /** The request's params as the tree a tree-based method would be given. */
    private static JsonNode params(JsonRpcRequest request) {
        try {
            return JsonMarshallers.readParams(request.params(), JsonMarshallers.TREE_PARAMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonRpcRequest decode(String frame) {
        byte[] b = frame.getBytes(StandardCharsets.UTF_8);
        DecodedMessage m = codec.decode(b, 0, b.length);
        assertThat(m.isFailure()).as("decodes: %s", frame).isFalse();
        return m.entries().get(0).request();
    }
}
