package dev.sessionrpc.client.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sessionrpc.client.RpcClient;
import dev.sessionrpc.client.RpcErrorException;
import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.ClientInfo;
import dev.sessionrpc.protocol.session.CreateSessionParams;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionDescriptors;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.protocol.session.SessionIdentification;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session-bound calls on top of an {@link RpcClient}, the way the standard's own Python client
 * makes them: the first call creates a session (with fresh random hashes unless the caller brings
 * its own), every call carries a {@code session_identification} with a challenge answer computed
 * for that moment, and a call answered {@code SessionNotFound} or {@code SessionExpired} creates a
 * new session once (same hashes) and is retried once. A desktop's clock may be minutes off, and
 * answers computed at a wrong time are refused: a {@code BadSessionChallengeAnswer} whose
 * {@code data.server_time} is more than a step from the client's time sets the client's clock
 * offset, and the call is retried once at the server's time; later calls keep the offset. The
 * session lives in a {@link SessionStorage}, so a file-backed client resumes it after a restart.
 * Thread-safe; concurrent first calls share one {@code session.create}.
 */
public final class SessionClient {

    private static final Logger log = LoggerFactory.getLogger(SessionClient.class);
    private static final HexFormat HEX = HexFormat.of();
    /** One challenge step: a server time further than this from the client's means its clock is off. */
    private static final long STEP_SECONDS = 30;

    private final RpcClient rpc;
    private final SessionStorage storage;
    private final ClientInfo clientInfo;
    private final Clock clock;
    private final String publicHash;
    private final String privateHash;
    /** Seconds added to {@link #clock} for challenge answers: the server's time minus the client's. */
    private final AtomicLong clockOffset = new AtomicLong();

    private final Object lock = new Object();
    private StoredSession current;
    private Challenge challenge;
    private CompletableFuture<StoredSession> creating;

    private SessionClient(Builder b) {
        this.rpc = b.rpc;
        this.storage = b.storage;
        this.clientInfo = b.clientInfo;
        this.clock = b.clock;
        Optional<StoredSession> stored = storage.load();
        if (b.publicHash != null) {
            this.publicHash = b.publicHash.toLowerCase(Locale.ROOT);
            this.privateHash = b.privateHash;
            stored = stored.filter(s -> s.publicHash().equalsIgnoreCase(publicHash) && s.privateHash().equals(privateHash));
        } else if (stored.isPresent()) {
            this.publicHash = stored.get().publicHash();
            this.privateHash = stored.get().privateHash();
        } else {
            SecureRandom random = new SecureRandom();
            this.publicHash = randomHash(random);
            String p;
            do {
                p = randomHash(random);
            } while (p.equals(publicHash));
            this.privateHash = p;
        }
        stored.ifPresent(this::use);
    }

    public static Builder builder(RpcClient rpc) {
        return new Builder(rpc);
    }

    private static String randomHash(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** The public hash this client registers with. */
    public String publicHash() {
        return publicHash;
    }

    /** The session in use, if one was created or loaded. */
    public Optional<StoredSession> currentSession() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    /**
     * How far the server's clock is ahead of this client's (negative: behind), as learnt from a
     * wrong answer's {@code data.server_time}; zero until the server has said otherwise. Challenge
     * answers are computed at the client's time plus this offset.
     */
    public Duration clockOffset() {
        return Duration.ofSeconds(clockOffset.get());
    }

    /** Creates a new session now (replacing any stored one) and stores it. */
    public CompletableFuture<SessionEstablished> createSession() {
        return obtain(null, true).thenApply(s -> new SessionEstablished(s.sessionId(), s.challenge()));
    }

    /** {@code session.get}: the current session as the server sees it; creates one on first use. */
    public CompletableFuture<Session> getSession() {
        return withSession(s -> rpc.call(SessionDescriptors.GET, identify(s, new Challenge(s.challenge(), s.privateHash()))));
    }

    /**
     * Calls any session-bound method: adds {@code session_identification} to {@code params},
     * creating or re-creating the session as needed.
     */
    public CompletableFuture<JsonNode> call(String method, ObjectNode params) {
        Objects.requireNonNull(params, "params");
        return withSession(s -> send(s, method, params));
    }

    /** Makes a call on the current session, and once more on a new one should the server no longer know it. */
    private <T> CompletableFuture<T> withSession(Function<StoredSession, CompletableFuture<T>> call) {
        return obtain(null, false).thenCompose(s -> atServerTime(s, call)
                .exceptionallyCompose(failure -> {
                    if (!sessionGone(failure)) {
                        return CompletableFuture.failedFuture(failure);
                    }
                    return obtain(s, false).thenCompose(fresh -> atServerTime(fresh, call));
                }));
    }

    /** Makes a call, and once more should its answer be refused because this client's clock is off. */
    private <T> CompletableFuture<T> atServerTime(StoredSession s, Function<StoredSession, CompletableFuture<T>> call) {
        long offsetUsed = clockOffset.get();
        return call.apply(s).exceptionallyCompose(failure -> adoptServerTime(failure, offsetUsed)
                ? call.apply(s)
                : CompletableFuture.failedFuture(failure));
    }

    /**
     * On a wrong answer whose {@code data.server_time} is more than a step from the time the answer
     * was computed at, keeps the server's offset from this client's clock and says so; a wrong
     * answer at the right time (a wrong private hash) is left to the caller.
     */
    private boolean adoptServerTime(Throwable failure, long offsetUsed) {
        if (!(RpcClient.unwrap(failure) instanceof RpcErrorException e)
                || !e.is(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER)
                || !(e.data().get("server_time") instanceof Number serverTime)) {
            return false;
        }
        long clientTime = clock.instant().getEpochSecond();
        if (Math.abs(serverTime.longValue() - (clientTime + offsetUsed)) <= STEP_SECONDS) {
            return false;
        }
        long offset = serverTime.longValue() - clientTime;
        clockOffset.set(offset);
        log.info("the server's clock is {} s {} this computer's; challenge answers are computed at the server's time",
                Math.abs(offset), offset > 0 ? "ahead of" : "behind");
        return true;
    }

    /** The identification to send at this moment, for callers that build requests themselves. */
    public SessionIdentification identification() {
        synchronized (lock) {
            if (current == null) {
                throw new IllegalStateException("no session yet; call createSession() or any session call first");
            }
            return identify(current, challenge);
        }
    }

    private SessionIdentification identify(StoredSession s, Challenge c) {
        return new SessionIdentification(s.sessionId(), s.publicHash(),
                c.answerAt(clock.instant().getEpochSecond() + clockOffset.get()));
    }

    private CompletableFuture<JsonNode> send(StoredSession s, String method, ObjectNode params) {
        Challenge c = new Challenge(s.challenge(), s.privateHash());
        ObjectNode withIdentity = params.deepCopy();
        withIdentity.set("session_identification", rpc.mapper().valueToTree(identify(s, c)));
        return rpc.call(method, withIdentity);
    }

    private static boolean sessionGone(Throwable failure) {
        return RpcClient.unwrap(failure) instanceof RpcErrorException e
                && (e.is(ErrorCode.SESSION_NOT_FOUND) || e.is(ErrorCode.SESSION_EXPIRED));
    }

    /**
     * The session to use. A session being created is shared; otherwise the current one is used
     * unless it is {@code stale} (the server no longer knows it) or {@code force} asks for a new
     * one. Many calls failing together on one stale session thus create one session between them.
     */
    private CompletableFuture<StoredSession> obtain(StoredSession stale, boolean force) {
        CompletableFuture<StoredSession> created;
        synchronized (lock) {
            if (creating != null) {
                return creating;
            }
            if (!force && current != null && current != stale) {
                return CompletableFuture.completedFuture(current);
            }
            created = new CompletableFuture<>();
            creating = created;
        }
        CreateSessionParams params = new CreateSessionParams(publicHash, privateHash, clientInfo);
        rpc.call(SessionDescriptors.CREATE, params).whenComplete((established, failure) -> {
            StoredSession s = null;
            Throwable error = failure;
            if (error == null) {
                try {
                    s = new StoredSession(established.id(), established.challenge(), publicHash, privateHash);
                    storage.save(s);
                } catch (RuntimeException e) {
                    error = e;
                }
            }
            synchronized (lock) {
                creating = null;
                if (error == null) {
                    use(s);
                }
            }
            if (error != null) {
                created.completeExceptionally(RpcClient.unwrap(error));
            } else {
                created.complete(s);
            }
        });
        return created;
    }

    private void use(StoredSession s) {
        synchronized (lock) {
            current = s;
            challenge = new Challenge(s.challenge(), s.privateHash());
        }
    }

    /** What a session client is made of. */
    public static final class Builder {
        private final RpcClient rpc;
        private SessionStorage storage = SessionStorage.inMemory();
        private ClientInfo clientInfo = defaultClientInfo();
        private Clock clock = Clock.systemUTC();
        private String publicHash;
        private String privateHash;

        private Builder(RpcClient rpc) {
            this.rpc = Objects.requireNonNull(rpc, "rpc");
        }

        /** Where the session is kept; in memory by default. */
        public Builder storage(SessionStorage v) { storage = Objects.requireNonNull(v); return this; }

        /** What the client registers as its platform, name and version. */
        public Builder clientInfo(ClientInfo v) { clientInfo = Objects.requireNonNull(v); return this; }

        /**
         * The clock challenge answers are computed with (plus the offset learnt from the server);
         * the system clock by default.
         */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

        /** Registers with these hashes (64 hex characters each) instead of fresh random ones. */
        public Builder hashes(String publicHash, String privateHash) {
            this.publicHash = Objects.requireNonNull(publicHash, "publicHash");
            this.privateHash = Objects.requireNonNull(privateHash, "privateHash");
            return this;
        }

        public SessionClient build() {
            return new SessionClient(this);
        }
    }

    /** The operating system as platform, reduced to characters every server accepts. */
    static ClientInfo defaultClientInfo() {
        String os = System.getProperty("os.name", "Java").replaceAll("[^A-Za-z0-9 .]", " ").trim();
        if (os.isEmpty()) {
            os = "Java";
        }
        return new ClientInfo(os.length() > 32 ? os.substring(0, 32).trim() : os, "SessionRPC Java SDK", "0.1.0");
    }
}
