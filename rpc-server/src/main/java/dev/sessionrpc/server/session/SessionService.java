package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.RpcException;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.protocol.session.SessionIdentification;
import dev.sessionrpc.protocol.session.SessionRules;
import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.metrics.ServerMetrics;
import java.net.InetAddress;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session rules of PROTOCOL.md §3: creating a session (throttled per client address) and
 * identifying one (lookup, public hash, challenge answer, expiry, in that order), which moves its
 * expiry forward. Formats are checked before a request gets here ({@link SessionMethods}). The
 * store, the throttle and the verifier are given, so that a shared store and throttle (Redis)
 * plug in without a change here; every stage they return may complete on another thread, and one
 * that fails becomes {@code InternalServerError}. How long an expired session is remembered (the
 * grace) is decided here alone and handed to the store with every write.
 */
public final class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final String SESSION_ID_PARAM = "session_identification.session_id";
    private static final String ANSWER_PARAM = "session_identification.challenge_answer";

    private final SessionStore store;
    private final Clock clock;
    private final long ttlSeconds;
    private final long graceSeconds;
    private final CreateThrottle throttle;
    private final AddressGroups groups;
    private final ChallengeVerifier verifier;

    /**
     * Random bytes for ids and secrets, one generator per thread: every event loop creates
     * sessions, and one shared {@code SecureRandom} would make them queue on its lock. The
     * platform's default on Linux (NativePRNG) would not do here even per thread, because all its
     * instances share one lock around the kernel source; DRBG instances keep their own state,
     * seeded from the system's entropy once per thread, so nothing is shared on the request path.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SessionService::newRandom);

    public SessionService(SessionStore store, CreateThrottle throttle, ChallengeVerifier verifier, Settings settings,
            Clock clock, ServerMetrics metrics) {
        this.store = store;
        this.throttle = throttle;
        this.verifier = verifier;
        this.clock = clock;
        this.ttlSeconds = settings.ttl().toSeconds();
        this.graceSeconds = settings.grace().toSeconds();
        this.groups = new AddressGroups(settings.ipv6Prefix());
        // each outcome of session.create and session.get is counted once, by the dispatcher, in
        // rpc_requests_seconds{method,outcome}; what only the service knows is how many it holds
        metrics.gauge("rpc_sessions_stored", "Sessions stored now", store, SessionStore::estimatedSize);
    }

    /**
     * The numbers that shape session behaviour: how long a session lives after its last use, how
     * long it is remembered after it expired, and how many leading bits of an IPv6 address name
     * one client for the create limit. The challenge window and the create limit belong to the
     * verifier and the throttle.
     */
    public record Settings(Duration ttl, Duration grace, int ipv6Prefix) {

        /** Settings that group IPv6 clients by {@link AddressGroups#DEFAULT_IPV6_PREFIX}. */
        public Settings(Duration ttl, Duration grace) {
            this(ttl, grace, AddressGroups.DEFAULT_IPV6_PREFIX);
        }
    }

    /** Creates a session for a client, unless its address group has created too many lately. */
    public CompletionStage<SessionEstablished> create(NewSession request, InetAddress clientAddress) {
        AddressGroups.Group group = groups.groupOf(clientAddress);
        return throttle.acquire(group).thenCompose(retryAfter -> {
            if (retryAfter > 0) {
                log.debug("session.create throttled for {} (retry after {} s)", group, retryAfter);
                return CompletableFuture.failedFuture(new RpcException(ErrorCode.TOO_MANY_REQUESTS,
                        "Too many sessions created from this address; retry after " + retryAfter + " s",
                        null, Map.of("retry_after", retryAfter)));
            }
            return store(request, clientAddress);
        });
    }

    private CompletionStage<SessionEstablished> store(NewSession request, InetAddress clientAddress) {
        long now = clock.instant().getEpochSecond();
        SecureRandom random = random();
        byte[] idBytes = new byte[32];
        byte[] secret = new byte[40];
        random.nextBytes(idBytes);
        random.nextBytes(secret);
        long expires = now + ttlSeconds;
        StoredSession session = new StoredSession(HexFormat.of().formatHex(idBytes), request.publicHash(),
                request.privateHash(), Challenge.encodeBase32(secret), now, expires, now,
                request.client(), clientAddress.getHostAddress());
        return store.create(session, expires + graceSeconds).thenApply(ignored -> {
            log.debug("session {} created for {} {} {} from {}", shortId(session.id()), request.client().platform(),
                    request.client().name(), request.client().version(), clientAddress.getHostAddress());
            return new SessionEstablished(session.id(), session.challenge());
        });
    }

    /**
     * Identifies a session (steps 5 to 8 of PROTOCOL.md §3) and, when every check passes, moves
     * its expiry to now + TTL and returns it.
     */
    public CompletionStage<Session> get(SessionIdentification identification) {
        String id = identification.sessionId().toLowerCase(Locale.ROOT);
        if (!SessionRules.isHex(id, 64)) {
            return notFound();
        }
        return store.find(id).thenCompose(found -> identify(found, identification));
    }

    private CompletionStage<Session> identify(Optional<SessionRecord> found, SessionIdentification identification) {
        long now = Math.floorDiv(clock.millis(), 1000); // the epoch second, without an Instant per call
        if (found.isEmpty()
                || !found.get().session().publicHash().equalsIgnoreCase(identification.clientPublicHash())
                || now > found.get().session().expires() + graceSeconds) {
            return notFound();
        }
        StoredSession session = found.get().session();
        if (!verifier.verify(found.get(), identification.challengeAnswer(), now)) {
            log.debug("session {}: wrong challenge answer", shortId(session.id()));
            // the server's clock, so that a client whose clock is off can tell by how much
            return CompletableFuture.failedFuture(new RpcException(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER,
                    "The challenge answer is wrong for the current time", ANSWER_PARAM, Map.of("server_time", now)));
        }
        if (now > session.expires()) {
            log.debug("session {}: expired", shortId(session.id()));
            return CompletableFuture.failedFuture(new RpcException(ErrorCode.SESSION_EXPIRED,
                    "The session expired; create a new one", SESSION_ID_PARAM));
        }
        long expires = now + ttlSeconds;
        return store.touch(session.id(), now, expires, expires + graceSeconds).thenCompose(times -> {
            if (times.isEmpty()) {
                return notFound();
            }
            if (log.isDebugEnabled()) { // the id's prefix and the boxed time would be made for nothing
                log.debug("session {} identified; expires at {}", shortId(session.id()), times.get().expires());
            }
            return CompletableFuture.completedFuture(session.toSession(times.get()));
        });
    }

    /** This thread's generator. */
    static SecureRandom random() {
        return RANDOM.get();
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK's DRBG is missing", e);
        }
    }

    /**
     * The first 8 characters of a session id: enough to follow one session through the log, too
     * few to act on (a call also needs the public hash and an answer, which are never logged).
     */
    private static String shortId(String id) {
        return id.substring(0, 8);
    }

    private <T> CompletionStage<T> notFound() {
        log.debug("session.get: no such session");
        return CompletableFuture.failedFuture(new RpcException(ErrorCode.SESSION_NOT_FOUND,
                "No session with this id and public hash", SESSION_ID_PARAM));
    }
}
