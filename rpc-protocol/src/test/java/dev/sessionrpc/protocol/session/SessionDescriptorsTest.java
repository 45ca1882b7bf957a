package dev.sessionrpc.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.JsonMarshaller;
import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.ParamsBytes;
import dev.sessionrpc.protocol.RpcException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in methods' marshallers: params judged in PROTOCOL.md's order, results written as reflection wrote them. */
class SessionDescriptorsTest {

    private static final ObjectMapper REFLECTION = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String PUBLIC = "a".repeat(64);
    private static final String PRIVATE = "b".repeat(64);
    private static final String ANSWER = "c".repeat(40);
    private static final String ID = "d".repeat(64);

    private static <P> P read(JsonMarshaller<P> marshaller, String params) throws IOException {
        return JsonMarshallers.readParams(params == null ? null : ParamsBytes.of(params), marshaller);
    }

    private static RpcException refusal(JsonMarshaller<?> marshaller, String params) {
        return (RpcException) org.assertj.core.api.Assertions.catchThrowable(() -> read(marshaller, params));
    }

    private static <T> String write(JsonMarshaller<T> marshaller, T value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            marshaller.write(value, g);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T> T readBack(JsonMarshaller<T> marshaller, String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            p.nextToken();
            return marshaller.read(p);
        }
    }

    @Nested
    class Create {
        private final JsonMarshaller<CreateSessionParams> params = SessionDescriptors.CREATE.params();

        private String named(String publicHash, String privateHash, String platform, String name, String version) {
            return "{\"public_hash\":" + publicHash + ",\"private_hash\":" + privateHash + ",\"platform\":" + platform
                    + ",\"name\":" + name + ",\"version\":" + version + "}";
        }

        @Test
        void namedAndPositionalParamsReadTheSame() throws IOException {
            CreateSessionParams byName = read(params, named("\"" + PUBLIC + "\"", "\"" + PRIVATE + "\"", "\"Linux\"",
                    "\"Example\"", "\"1.0.0\""));
            CreateSessionParams byPosition = read(params,
                    "[\"" + PUBLIC + "\",\"" + PRIVATE + "\",\"Linux\",\"Example\",\"1.0.0\"]");
            assertThat(byName).isEqualTo(byPosition)
                    .isEqualTo(new CreateSessionParams(PUBLIC, PRIVATE, new ClientInfo("Linux", "Example", "1.0.0")));
        }

        @Test
        void checksRunInTheDocumentedOrderWhateverTheOrderOfMembers() {
            RpcException e = refusal(params, "{\"version\":\"x\",\"public_hash\":\"nothex\"}");
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT_PUBLIC_HASH);
            assertThat(e.parameter()).isEqualTo("public_hash");
        }

        @Test
        void aMissingOrNullParamIsMissingParameterNamingIt() {
            RpcException e = refusal(params, "{\"public_hash\":\"" + PUBLIC + "\",\"private_hash\":null}");
            assertThat(e.code()).isEqualTo(ErrorCode.MISSING_PARAMETER);
            assertThat(e.parameter()).isEqualTo("private_hash");
            assertThat(e.getMessage()).isEqualTo("Missing parameter: private_hash");
            assertThat(refusal(params, null).parameter()).isEqualTo("public_hash");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1", "true", "{}", "[\"Linux\"]"})
        void aParamOfTheWrongJsonTypeGetsItsOwnError(String platform) {
            RpcException e = refusal(params, named("\"" + PUBLIC + "\"", "\"" + PRIVATE + "\"", platform,
                    "\"Example\"", "\"1.0.0\""));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PLATFORM);
            assertThat(e.parameter()).isEqualTo("platform");
        }

        @Test
        void aPrivateHashEqualToThePublicOneIsRefused() {
            RpcException e = refusal(params, named("\"" + PUBLIC + "\"", "\"" + PUBLIC.toUpperCase() + "\"",
                    "\"Linux\"", "\"Example\"", "\"1.0.0\""));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT_PRIVATE_HASH);
            assertThat(e.getMessage()).isEqualTo("private_hash must differ from public_hash");
        }

        @Test
        void moreValuesThanParamsIsInvalidParamsBeforeAnyParamIsJudged() {
            RpcException e = refusal(params, "[1,2,3,4,5,6]");
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS);
            assertThat(e.getMessage()).isEqualTo("Invalid params: expected at most 5 positional params, got 6");
        }

        @Test
        void writtenParamsReadBack() throws IOException {
            CreateSessionParams sent = new CreateSessionParams(PUBLIC, PRIVATE, new ClientInfo("Linux", "Example", "1.0.0"));
            assertThat(read(params, JsonMarshallers.writeParams(sent, params).text())).isEqualTo(sent);
        }
    }

    @Nested
    class Get {
        private final JsonMarshaller<SessionIdentification> params = SessionDescriptors.GET.params();

        private String identification(String sessionId, String publicHash, String answer) {
            return "{\"session_identification\":{\"session_id\":" + sessionId + ",\"client_public_hash\":" + publicHash
                    + ",\"challenge_answer\":" + answer + "}}";
        }

        @Test
        void namedAndPositionalParamsReadTheSame() throws IOException {
            String member = "{\"challenge_answer\":\"" + ANSWER + "\",\"session_id\":\"" + ID
                    + "\",\"client_public_hash\":\"" + PUBLIC + "\",\"extra\":[1]}";
            assertThat(read(params, "{\"session_identification\":" + member + "}"))
                    .isEqualTo(read(params, "[" + member + "]"))
                    .isEqualTo(new SessionIdentification(ID, PUBLIC, ANSWER));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "[]", "{\"session_identification\":null}"})
        void aMissingIdentificationIsMissingParameter(String missing) {
            RpcException e = refusal(params, missing);
            assertThat(e.code()).isEqualTo(ErrorCode.MISSING_PARAMETER);
            assertThat(e.parameter()).isEqualTo("session_identification");
        }

        @Test
        void anIdentificationThatIsNotAnObjectIsInvalid() {
            RpcException e = refusal(params, "[\"" + ID + "\"]");
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SESSION_IDENTIFICATION);
            assertThat(e.parameter()).isEqualTo("session_identification");
        }

        @Test
        void aMemberThatIsMissingOrNotAStringIsNamed() {
            RpcException e = refusal(params, identification("\"" + ID + "\"", "64", "null"));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SESSION_IDENTIFICATION);
            assertThat(e.parameter()).isEqualTo("session_identification.client_public_hash");
            assertThat(e.getMessage()).isEqualTo("session_identification.client_public_hash must be a string");
        }

        @Test
        void thePublicHashIsJudgedBeforeTheAnswer() {
            RpcException e = refusal(params, identification("\"x\"", "\"short\"", "\"short\""));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CLIENT_PUBLIC_HASH);
            assertThat(e.parameter()).isEqualTo("session_identification.client_public_hash");
            RpcException answer = refusal(params, identification("\"x\"", "\"" + PUBLIC + "\"", "\"short\""));
            assertThat(answer.code()).isEqualTo(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER);
            assertThat(answer.parameter()).isEqualTo("session_identification.challenge_answer");
        }

        @Test
        void writtenParamsReadBack() throws IOException {
            SessionIdentification sent = new SessionIdentification(ID, PUBLIC, ANSWER);
            assertThat(read(params, JsonMarshallers.writeParams(sent, params).text())).isEqualTo(sent);
        }
    }

    @Nested
    class Results {
        private final Session session = new Session(ID, List.of("flag"), true, 1_700_000_000L, 1_700_000_600L,
                1_700_000_300L, new ClientInfo("Linux", "Example", "1.0.0"));
        private final SessionEstablished established = new SessionEstablished(ID, "A".repeat(64));
        private final ServerInformation information = ServerInformation.sessionsOnly("Net", 600, 3600);

        @Test
        void writersWriteWhatReflectionWrote() throws IOException {
            assertThat(write(SessionDescriptors.GET.result(), session)).isEqualTo(REFLECTION.writeValueAsString(session));
            assertThat(write(SessionDescriptors.CREATE.result(), established))
                    .isEqualTo(REFLECTION.writeValueAsString(established));
            assertThat(write(SessionDescriptors.SERVER_INFORMATION.result(), information))
                    .isEqualTo(REFLECTION.writeValueAsString(information));
            Session withoutClient = new Session(ID, List.of(), false, 1, 2, 3, null);
            assertThat(write(SessionDescriptors.GET.result(), withoutClient))
                    .isEqualTo(REFLECTION.writeValueAsString(withoutClient));
        }

        @Test
        void readersReadWhatWritersWroteAndSkipMembersTheyDoNotKnow() throws IOException {
            assertThat(readBack(SessionDescriptors.GET.result(), write(SessionDescriptors.GET.result(), session)))
                    .isEqualTo(session);
            assertThat(readBack(SessionDescriptors.CREATE.result(),
                    "{\"new\":{\"deep\":[1]},\"id\":\"" + ID + "\",\"challenge\":\"" + "A".repeat(64) + "\"}"))
                    .isEqualTo(established);
            assertThat(readBack(SessionDescriptors.SERVER_INFORMATION.result(),
                    write(SessionDescriptors.SERVER_INFORMATION.result(), information))).isEqualTo(information);
        }

        @Test
        void aResultThatIsNotAnObjectIsRefused() {
            assertThatThrownBy(() -> readBack(SessionDescriptors.GET.result(), "[1]")).isInstanceOf(IOException.class);
        }
    }
}
