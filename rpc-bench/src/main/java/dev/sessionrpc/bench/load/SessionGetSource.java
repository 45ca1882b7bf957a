package dev.sessionrpc.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sessionrpc.protocol.session.Challenge;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code session.get} requests for the sessions this connection created, in turn. Each
 * session's answer is computed once per 30 s step and then reused, so the generator spends its
 * time on the socket and not on HMACs.
 */
public final class SessionGetSource implements RequestSource {

    /** What the client keeps of a session it created. */
    public record ClientSession(String id, String publicHash, String privateHash, String challenge) {
    }

    private static final byte[] MIDDLE = RequestSource.ascii("\"}},\"id\":");

    private final Entry[] entries;
    private final LongSupplier unixSeconds;
    private int next;

    public SessionGetSource(List<ClientSession> sessions, LongSupplier unixSeconds) {
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("no sessions");
        }
        this.entries = sessions.stream().map(Entry::new).toArray(Entry[]::new);
        this.unixSeconds = unixSeconds;
    }

    @Override
    public int maxLength() {
        int longest = 0;
        for (Entry e : entries) {
            longest = Math.max(longest, e.prefix.length);
        }
        return longest + Challenge.ANSWER_LENGTH + MIDDLE.length + 21;
    }

    @Override
    public int write(byte[] dst, long id) {
        Entry e = entries[next];
        next = next + 1 == entries.length ? 0 : next + 1;
        byte[] answer = e.answer(Challenge.counterAt(unixSeconds.getAsLong()));
        int pos = 0;
        System.arraycopy(e.prefix, 0, dst, pos, e.prefix.length);
        pos += e.prefix.length;
        System.arraycopy(answer, 0, dst, pos, answer.length);
        pos += answer.length;
        System.arraycopy(MIDDLE, 0, dst, pos, MIDDLE.length);
        pos = RequestSource.writeDecimal(dst, pos + MIDDLE.length, id);
        dst[pos++] = '}';
        return pos;
    }

    @Override
    public String check(JsonNode reply) {
        String problem = RequestSource.super.check(reply);
        if (problem != null) {
            return problem;
        }
        JsonNode result = reply.get("result");
        String id = result.path("id").asText("");
        for (Entry e : entries) {
            if (e.session.id().equals(id)) {
                return result.path("expires").canConvertToLong() ? null : "session without expires: " + result;
            }
        }
        return "session.get returned a session this connection does not own: " + result;
    }

    /** The {@code session.get} body for a session, ending where the answer goes. */
    public static String prefix(String sessionId, String publicHash) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session.get\",\"params\":{\"session_identification\":{"
                + "\"session_id\":\"" + sessionId + "\",\"client_public_hash\":\"" + publicHash
                + "\",\"challenge_answer\":\"";
    }

    private static final class Entry {
        final ClientSession session;
        final byte[] prefix;
        final Challenge challenge;
        long counter = Long.MIN_VALUE;
        byte[] answer;

        Entry(ClientSession s) {
            this.session = s;
            this.prefix = RequestSource.ascii(prefix(s.id(), s.publicHash()));
            this.challenge = new Challenge(s.challenge(), s.privateHash());
        }

        byte[] answer(long now) {
            if (now != counter) {
                answer = challenge.answerBytes(now);
                counter = now;
            }
            return answer;
        }
    }
}
