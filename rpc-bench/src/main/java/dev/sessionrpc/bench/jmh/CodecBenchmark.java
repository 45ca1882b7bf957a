package dev.sessionrpc.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sessionrpc.protocol.DecodedMessage;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.JsonRpcCodec;
import dev.sessionrpc.protocol.JsonRpcRequest;
import dev.sessionrpc.protocol.JsonRpcResponse;
import dev.sessionrpc.protocol.RequestId;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionIdentification;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON cost of one {@code session.get} exchange, each side of it: the server decodes the
 * request and encodes the reply; a client encodes the request and decodes the reply.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    static final String SESSION_ID = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String PUBLIC_HASH = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    static final String ANSWER = "ff9de30a5c59034ccddf8efbdb124fcd7a5475ec";

    JsonRpcCodec codec;
    byte[] request;
    byte[] reply;
    JsonRpcResponse response;
    JsonRpcRequest clientRequest;

    @Setup
    public void setup() {
        codec = new JsonRpcCodec();
        request = ("{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"session_identification\":{"
                + "\"session_id\":\"" + SESSION_ID + "\",\"client_public_hash\":\"" + PUBLIC_HASH
                + "\",\"challenge_answer\":\"" + ANSWER + "\"}},\"id\":123456}").getBytes(StandardCharsets.UTF_8);
        Session session = new Session(SESSION_ID, List.of(), false, 1_700_000_000L, 1_700_000_600L, 1_700_000_000L,
                new ClientInfo("Linux", "Example Client", "1.0.0"));
        response = JsonRpcResponse.success(RequestId.of(123456), session);
        reply = codec.encodeToBytes(response);
        ObjectNode ident = codec.mapper().createObjectNode()
                .put("session_id", SESSION_ID).put("client_public_hash", PUBLIC_HASH).put("challenge_answer", ANSWER);
        ObjectNode params = codec.mapper().createObjectNode();
        params.set("session_identification", ident);
        clientRequest = new JsonRpcRequest(RequestId.of(123456), "session.get", JsonMarshallers.params(params));
    }

    /** Server: bytes of a session.get request to a request with its params as a byte range. */
    @Benchmark
    public DecodedMessage serverDecodeRequest() {
        return codec.decode(request);
    }

    /** Server: decode and bind session_identification to its record, as a method handler would. */
    @Benchmark
    public SessionIdentification serverDecodeRequestAndBind() throws Exception {
        DecodedMessage m = codec.decode(request);
        JsonNode params = JsonMarshallers.readParams(m.entries().get(0).request().params(), JsonMarshallers.TREE_PARAMS);
        return codec.mapper().treeToValue(params.get("session_identification"), SessionIdentification.class);
    }

    /** Server: a Session reply to bytes. */
    @Benchmark
    public byte[] serverEncodeReply() {
        return codec.encodeToBytes(response);
    }

    /** Client: a session.get request to bytes. */
    @Benchmark
    public byte[] clientEncodeRequest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        codec.encodeRequest(clientRequest, out);
        return out.toByteArray();
    }

    /** Client: reply bytes to a response with a result tree. */
    @Benchmark
    public List<JsonRpcResponse> clientDecodeReply() {
        return codec.decodeResponses(reply, 0, reply.length);
    }
}
