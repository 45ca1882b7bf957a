package dev.sessionrpc.bench.soak;

import dev.sessionrpc.bench.load.SessionGetSource;
import dev.sessionrpc.protocol.session.Challenge;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sessions the soak created, shared by all connections: a session is not tied to the
 * socket that created it, and the server lets each address create only a few per minute, so
 * 10,000 sockets take turns with a pool that the {@code session.create} traffic keeps growing.
 * Appends are rare (a few per second), reads are lock-free.
 */
public final class SessionPool {

    /** A session the soak holds, with its answer cached per 30 s step. */
    public static final class Entry {
        final String id;
        final String publicHash;
        final byte[] idBytes;
        private final Challenge challenge;
        private volatile Answer answer = new Answer(Long.MIN_VALUE, null);

        Entry(String id, String publicHash, String privateHash, String secret) {
            this.id = id;
            this.publicHash = publicHash;
            this.idBytes = id.getBytes(StandardCharsets.US_ASCII);
            this.challenge = new Challenge(secret, privateHash);
        }

        /** The right answer at this Unix time. */
        String answerAt(long unixSeconds) {
            long counter = Challenge.counterAt(unixSeconds);
            Answer a = answer;
            if (a.counter != counter) {
                a = new Answer(counter, new String(challenge.answerBytes(counter), StandardCharsets.US_ASCII));
                answer = a;
            }
            return a.text;
        }

        /** The body of a session.get for this session up to where the answer goes. */
        String getPrefix() {
            return SessionGetSource.prefix(id, publicHash);
        }

        private record Answer(long counter, String text) {
        }
    }

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

    public void add(String id, String publicHash, String privateHash, String secret) {
        entries.add(new Entry(id, publicHash, privateHash, secret));
    }

    public int size() {
        return entries.size();
    }

    /** Any one of the sessions, or null while there is none. */
    public Entry any() {
        int n = entries.size();
        return n == 0 ? null : entries.get(ThreadLocalRandom.current().nextInt(n));
    }
}
