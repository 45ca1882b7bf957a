package dev.sessionrpc.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.protocol.JsonRpcResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The methods the generator knows how to load, each as a {@link LoadConnection.Setup} per connection. */
public final class Workloads {

    public static final String ECHO = "echo";
    public static final String SESSION_GET = "session.get";
    public static final String SESSION_CREATE = "session.create";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Workloads() {
    }

    /** A setup for one connection. */
    public static LoadConnection.Setup forMethod(String method, String paramsJson, int sessionsPerConnection) {
        return switch (method) {
            case ECHO -> fixed(echoSource());
            case SESSION_CREATE -> fixed(new TemplateSource(createBody(randomHex(), randomHex())) {
                @Override
                public String check(JsonNode reply) {
                    String problem = super.check(reply);
                    if (problem != null) {
                        return problem;
                    }
                    JsonNode r = reply.get("result");
                    return r.path("id").asText("").length() == 64 && r.path("challenge").asText("").length() == 64
                            ? null : "not a SessionEstablished: " + r;
                }
            });
            case SESSION_GET -> sessionGet(sessionsPerConnection);
            default -> fixed(TemplateSource.method(method, paramsJson));
        };
    }

    /** Raw frames shaped like a {@code session.get} request; an echo server sends them back as they are. */
    static RequestSource echoSource() {
        String body = SessionGetSource.prefix("0".repeat(64), "a".repeat(64)) + "b".repeat(40) + "\"}}";
        return new TemplateSource(body) {
            @Override
            public String check(JsonNode reply) {
                return reply != null && "session.get".equals(reply.path("method").asText())
                        ? null : "not the echo of the request: " + reply;
            }
        };
    }

    public static String createBody(String publicHash, String privateHash) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session.create\",\"params\":{\"public_hash\":\"" + publicHash
                + "\",\"private_hash\":\"" + privateHash
                + "\",\"platform\":\"Linux\",\"name\":\"RpcBench\",\"version\":\"1.0.0\"}";
    }

    private static LoadConnection.Setup fixed(RequestSource source) {
        return new LoadConnection.Setup() {
            @Override
            public List<byte[]> setupRequests() {
                return List.of();
            }

            @Override
            public RequestSource source(List<JsonRpcResponse> replies) {
                return source;
            }
        };
    }

    private static LoadConnection.Setup sessionGet(int count) {
        List<String[]> hashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hashes.add(new String[] {randomHex(), randomHex()});
        }
        return new LoadConnection.Setup() {
            @Override
            public List<byte[]> setupRequests() {
                List<byte[]> out = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    TemplateSource t = new TemplateSource(createBody(hashes.get(i)[0], hashes.get(i)[1]));
                    byte[] b = new byte[t.maxLength()];
                    out.add(java.util.Arrays.copyOf(b, t.write(b, i + 1)));
                }
                return out;
            }

            @Override
            public RequestSource source(List<JsonRpcResponse> replies) {
                List<SessionGetSource.ClientSession> sessions = new ArrayList<>();
                for (int i = 0; i < replies.size(); i++) {
                    JsonNode result = (JsonNode) replies.get(i).result();
                    sessions.add(new SessionGetSource.ClientSession(result.path("id").asText(),
                            hashes.get(i)[0], hashes.get(i)[1], result.path("challenge").asText()));
                }
                return new SessionGetSource(sessions, () -> System.currentTimeMillis() / 1000);
            }
        };
    }

    public static String randomHex() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
