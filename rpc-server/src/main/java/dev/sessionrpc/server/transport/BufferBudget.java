package dev.sessionrpc.server.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that all connections together may hold in messages that have not arrived whole:
 * partial WebSocket frames, fragments waiting for the rest of their message, HTTP bodies still
 * coming in. A slow client can hold such bytes for as long as its timeout allows, so without a
 * shared bound a few hundred of them exhaust direct memory; with it, new large messages are
 * refused (1009, 413) while the budget is spent, and everyone else goes on.
 */
public final class BufferBudget {

    private final long max;
    private final AtomicLong used = new AtomicLong();

    public BufferBudget(long max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
        this.max = max;
    }

    /** Takes {@code bytes} from the budget, or takes nothing and says no when they do not fit. */
    public boolean tryReserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > max) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** A connection's share of the budget, which follows what that connection holds. */
    public Account account() {
        return new Account();
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return max;
    }

    /** What one connection holds right now; used from its event loop only. */
    public final class Account {
        private long held;

        private Account() {
        }

        /**
         * Makes this account hold exactly {@code bytes}. When the increase does not fit in the
         * budget nothing changes and the answer is false.
         */
        public boolean hold(long bytes) {
            long delta = bytes - held;
            if (delta > 0 && !tryReserve(delta)) {
                return false;
            }
            if (delta < 0) {
                release(-delta);
            }
            held = bytes;
            return true;
        }

        /** Gives everything back (the connection closed or finished its message). */
        public void clear() {
            hold(0);
        }

        public long held() {
            return held;
        }
    }
}
