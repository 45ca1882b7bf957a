package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.ErrorCode;
import dev.sessionrpc.protocol.RpcException;
import dev.sessionrpc.protocol.session.Challenge;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.protocol.session.SessionIdentification;
import dev.sessionrpc.server.address.AddressGroups;
import dev.sessionrpc.server.metrics.ServerMetrics;
import io.micrometer.core.instrument.Counter;
import java.net.InetAddress;
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
 * expiry forward. Formats are checked before a request gets here ({@link SessionMethods}).
 */
public final class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final String SESSION_ID_PARAM = "session_identification.session_id";
    private static final String ANSWER_PARAM = "session_identification.challenge_answer";

    private final SessionStore store;
    private final Clock clock;
    private final long ttlSeconds;
    private final long graceSeconds;
    private final int window;
    private final CreateThrottle throttle;
    private final AddressGroups groups;
    private final ChallengeVerifier verifier;
    private final SecureRandom random = new SecureRandom();
    private final Counter created;
    private final Counter throttled;
    private final Counter identifiedOk;
    private final Counter identifiedBadAnswer;
    private final Counter identifiedNotFound;
    private final Counter identifiedExpired;

    public SessionService(SessionStore store, Settings settings, Clock clock, ServerMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.ttlSeconds = settings.ttl().toSeconds();
        this.graceSeconds = settings.grace().toSeconds();
        this.window = settings.challengeWindow();
        this.throttle = new CreateThrottle(settings.createLimit(), settings.createWindow(), clock);
        this.groups = new AddressGroups(settings.ipv6Prefix());
        this.verifier = new ChallengeVerifier(window);
        this.created = metrics.counter("rpc_sessions_created", "Sessions created");
        this.throttled = metrics.counter("rpc_sessions_throttled", "session.create calls refused by the per-address limit");
        String name = "rpc_session_identifications";
        String help = "session.get identifications by outcome";
        this.identifiedOk = metrics.counter(name, help, "outcome", "ok");
        this.identifiedBadAnswer = metrics.counter(name, help, "outcome", "bad_answer");
        this.identifiedNotFound = metrics.counter(name, help, "outcome", "not_found");
        this.identifiedExpired = metrics.counter(name, help, "outcome", "expired");
    }

    /**
     * The numbers that shape session behaviour; {@code ipv6Prefix} is how many leading bits of an
     * IPv6 address name one client for the create limit.
     */
    public record Settings(Duration ttl, Duration grace, int challengeWindow, int createLimit, Duration createWindow,
            int ipv6Prefix) {

        /** Settings that group IPv6 clients by {@link AddressGroups#DEFAULT_IPV6_PREFIX}. */
        public Settings(Duration ttl, Duration grace, int challengeWindow, int createLimit, Duration createWindow) {
            this(ttl, grace, challengeWindow, createLimit, createWindow, AddressGroups.DEFAULT_IPV6_PREFIX);
        }
    }

    /** Creates a session for a client, unless its address group has created too many lately. */
    public CompletionStage<SessionEstablished> create(NewSession request, InetAddress clientAddress) {
        AddressGroups.Group group = groups.groupOf(clientAddress);
        long retryAfter = throttle.tryAcquire(group);
        if (retryAfter > 0) {
            throttled.increment();
            log.debug("session.create throttled for {} (retry after {} s)", group, retryAfter);
            return CompletableFuture.failedFuture(new RpcException(ErrorCode.TOO_MANY_REQUESTS,
                    "Too many sessions created from this address; retry after " + retryAfter + " s",
                    null, Map.of("retry_after", retryAfter)));
        }
        long now = clock.instant().getEpochSecond();
        byte[] idBytes = new byte[32];
        byte[] secret = new byte[40];
        random.nextBytes(idBytes);
        random.nextBytes(secret);
        StoredSession session = new StoredSession(HexFormat.of().formatHex(idBytes), request.publicHash(),
                request.privateHash(), Challenge.encodeBase32(secret), now, now + ttlSeconds, now,
                request.client(), clientAddress.getHostAddress());
        return store.create(session).thenApply(ignored -> {
            created.increment();
            return new SessionEstablished(session.id(), session.challenge());
        });
    }

    /**
     * Identifies a session (steps 5 to 8 of PROTOCOL.md §3) and, when every check passes, moves
     * its expiry to now + TTL and returns it.
     */
    public CompletionStage<Session> get(SessionIdentification identification) {
        String id = identification.sessionId().toLowerCase(Locale.ROOT);
        if (!SessionValidation.isHex(id, 64)) {
            return notFound();
        }
        return store.find(id).thenCompose(found -> identify(found, identification));
    }

    private CompletionStage<Session> identify(Optional<StoredSession> found, SessionIdentification identification) {
        long now = clock.instant().getEpochSecond();
        if (found.isEmpty()
                || !found.get().publicHash().equalsIgnoreCase(identification.clientPublicHash())
                || now > found.get().expires() + graceSeconds) {
            return notFound();
        }
        StoredSession session = found.get();
        if (!verifier.verify(session, identification.challengeAnswer(), now)) {
            identifiedBadAnswer.increment();
            return CompletableFuture.failedFuture(new RpcException(ErrorCode.BAD_SESSION_CHALLENGE_ANSWER,
                    "The challenge answer is wrong for the current time", ANSWER_PARAM));
        }
        if (now > session.expires()) {
            identifiedExpired.increment();
            return CompletableFuture.failedFuture(new RpcException(ErrorCode.SESSION_EXPIRED,
                    "The session expired; create a new one", SESSION_ID_PARAM));
        }
        return store.touch(session.id(), now, now + ttlSeconds).thenCompose(touched -> {
            if (touched.isEmpty()) {
                return notFound();
            }
            identifiedOk.increment();
            return CompletableFuture.completedFuture(touched.get().toSession());
        });
    }

    private <T> CompletionStage<T> notFound() {
        identifiedNotFound.increment();
        return CompletableFuture.failedFuture(new RpcException(ErrorCode.SESSION_NOT_FOUND,
                "No session with this id and public hash", SESSION_ID_PARAM));
    }
}
