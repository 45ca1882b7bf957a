package dev.sessionrpc.client.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionrpc.client.RpcClient;
import dev.sessionrpc.client.RpcErrorException;
import dev.sessionrpc.client.testing.TestServer;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.server.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionClientIT {

    private static final ClientInfo CLIENT = new ClientInfo("Linux", "Session Client Test", "1.2.3");

    @TempDir
    Path dir;

    private static Session get(SessionClient sessions) {
        return sessions.getSession().orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void theFirstCallCreatesASessionThatGetReturns() {
        try (TestServer server = TestServer.start();
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).build();
            assertThat(sessions.currentSession()).isEmpty();

            Session session = get(sessions);

            assertThat(session.id()).isEqualTo(sessions.currentSession().orElseThrow().sessionId()).matches("[0-9a-f]{64}");
            assertThat(session.client()).isEqualTo(CLIENT);
            assertThat(session.authenticated()).isFalse();
            assertThat(get(sessions).id()).isEqualTo(session.id());
        }
    }

    @Test
    void anExpiredSessionIsReplacedOnceAndTheCallRetried() {
        MutableClock clock = MutableClock.atStepStart();
        try (TestServer server = TestServer.start(clock);
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionStorage storage = SessionStorage.inMemory();
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).clock(clock).storage(storage).build();
            String first = get(sessions).id();

            clock.advance(Duration.ofSeconds(601));
            Session renewed = get(sessions);

            assertThat(renewed.id()).isNotEqualTo(first);
            assertThat(storage.load().orElseThrow().sessionId()).isEqualTo(renewed.id());
            assertThat(renewed.created()).isEqualTo(clock.epochSecond());
        }
    }

    @Test
    void aSessionTheServerDoesNotKnowIsReplacedWithTheSameHashes() {
        SecureRandom random = new SecureRandom();
        String publicHash = hash(random);
        SessionStorage storage = SessionStorage.inMemory();
        storage.save(new StoredSession(hash(random), Challenge.encodeBase32(new byte[40]), publicHash, hash(random)));
        try (TestServer server = TestServer.start();
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).storage(storage).build();

            Session session = get(sessions);

            StoredSession now = storage.load().orElseThrow();
            assertThat(now.sessionId()).isEqualTo(session.id());
            assertThat(now.publicHash()).isEqualTo(publicHash);
        }
    }

    @Test
    void otherErrorsAreNotRetriedAndKeepTheSession() {
        try (TestServer server = TestServer.start();
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionClient owner = SessionClient.builder(rpc).clientInfo(CLIENT).build();
            get(owner);
            StoredSession real = owner.currentSession().orElseThrow();
            SessionStorage forged = SessionStorage.inMemory();
            forged.save(new StoredSession(real.sessionId(), real.challenge(), real.publicHash(), hash(new SecureRandom())));
            SessionClient impostor = SessionClient.builder(rpc).clientInfo(CLIENT).storage(forged).build();

            assertThatThrownBy(() -> get(impostor))
                    .cause().isInstanceOfSatisfying(RpcErrorException.class, e -> {
                        assertThat(e.is(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER)).isTrue();
                        assertThat(e.code()).isEqualTo(8711);
                    });
            assertThat(forged.load().orElseThrow().sessionId()).isEqualTo(real.sessionId());
            assertThat(server.requests("session.get", "BadSessionChallengeAnswer")).as("sent once, not retried").isEqualTo(1);
            assertThat(impostor.clockOffset()).as("the server's time was the client's").isZero();
        }
    }

    @Test
    void aServerFiveMinutesAheadIsAnsweredAfterOneRetryAndLaterCallsNeedNone() {
        MutableClock clientClock = MutableClock.atStepStart();
        MutableClock serverClock = MutableClock.atStepStart();
        serverClock.advance(Duration.ofMinutes(5));
        try (TestServer server = TestServer.start(serverClock);
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).clock(clientClock).build();

            Session first = get(sessions);

            assertThat(server.requests("session.get", "BadSessionChallengeAnswer")).as("refused at the client's time").isEqualTo(1);
            assertThat(server.requests("session.get", "ok")).as("answered at the server's time").isEqualTo(1);
            assertThat(sessions.clockOffset()).isEqualTo(Duration.ofMinutes(5));

            clientClock.advance(Duration.ofMinutes(2));
            serverClock.advance(Duration.ofMinutes(2));
            assertThat(get(sessions).id()).isEqualTo(first.id());
            assertThat(sessions.identification().challengeAnswer())
                    .isEqualTo(new Challenge(sessions.currentSession().orElseThrow().challenge(),
                            sessions.currentSession().orElseThrow().privateHash()).answerAt(serverClock.epochSecond()));
            assertThat(server.requests("session.get", "BadSessionChallengeAnswer")).as("no second refusal").isEqualTo(1);
            assertThat(server.requests("session.get", "ok")).isEqualTo(2);
        }
    }

    @Test
    void aClientAnHourAheadOfTheServerAnswersAtTheServersTime() {
        MutableClock clientClock = MutableClock.atStepStart();
        MutableClock serverClock = MutableClock.atStepStart();
        clientClock.advance(Duration.ofHours(1));
        try (TestServer server = TestServer.start(serverClock);
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).clock(clientClock).build();

            get(sessions);

            assertThat(sessions.clockOffset()).isEqualTo(Duration.ofHours(-1));
            assertThat(server.requests("session.get", "ok")).isEqualTo(1);
        }
    }

    @Test
    void concurrentFirstCallsShareOneNewSession() {
        try (TestServer server = TestServer.start();
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).build();
            List<CompletableFuture<Session>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(sessions.getSession());
            }
            String id = calls.get(0).orTimeout(20, TimeUnit.SECONDS).join().id();
            assertThat(calls).allSatisfy(c -> assertThat(c.orTimeout(20, TimeUnit.SECONDS).join().id()).isEqualTo(id));
        }
    }

    @Test
    void suppliedHashesAreTheOnesRegistered() {
        SecureRandom random = new SecureRandom();
        String publicHash = hash(random).toUpperCase();
        String privateHash = hash(random);
        try (TestServer server = TestServer.start();
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionStorage storage = SessionStorage.inMemory();
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).storage(storage)
                    .hashes(publicHash, privateHash).build();
            get(sessions);
            assertThat(storage.load().orElseThrow().publicHash()).isEqualTo(publicHash.toLowerCase());
            assertThat(storage.load().orElseThrow().privateHash()).isEqualTo(privateHash);
        }
    }

    @Test
    void aFileStoredSessionSurvivesAClientRestartAndIsReadableByItsOwnerOnly() throws IOException {
        Path file = dir.resolve("session.json");
        try (TestServer server = TestServer.start()) {
            String id;
            try (RpcClient rpc = RpcClient.connect(server.wsUri())) {
                id = get(SessionClient.builder(rpc).clientInfo(CLIENT).storage(SessionStorage.file(file)).build()).id();
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

            try (RpcClient rpc = RpcClient.connect(server.wsUri())) {
                SessionClient restarted = SessionClient.builder(rpc).clientInfo(CLIENT).storage(SessionStorage.file(file)).build();
                assertThat(restarted.currentSession().orElseThrow().sessionId()).isEqualTo(id);
                assertThat(get(restarted).id()).isEqualTo(id);
            }
        }
    }

    @Test
    void createSessionReplacesTheStoredSessionWithANewOneThatGetReturns() {
        try (TestServer server = TestServer.start();
             RpcClient rpc = RpcClient.connect(server.wsUri())) {
            SessionStorage storage = SessionStorage.inMemory();
            SessionClient sessions = SessionClient.builder(rpc).clientInfo(CLIENT).storage(storage).build();
            String first = get(sessions).id();

            SessionEstablished created = sessions.createSession().orTimeout(20, TimeUnit.SECONDS).join();

            assertThat(created.id()).isNotEqualTo(first);
            assertThat(storage.load().orElseThrow().sessionId()).isEqualTo(created.id());
            assertThat(get(sessions).id()).isEqualTo(created.id());
        }
    }

    private static String hash(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
