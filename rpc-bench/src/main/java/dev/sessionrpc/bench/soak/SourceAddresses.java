package dev.sessionrpc.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * The loopback addresses the soak connects from: 127.0.0.2, 127.0.0.3, ... (all of 127/8 is
 * loopback on Linux), so that no single client address holds more than about
 * {@code connections / count} sockets and no address runs out of ephemeral ports. Socket
 * {@code i} uses address {@code i % count}, always the same one, also when it reconnects.
 */
public final class SourceAddresses {

    /** 127.0.0.2 as a 32-bit number; 127.0.0.1 is left to everything else on the machine. */
    private static final int FIRST = (127 << 24) | 2;

    private final List<String> addresses;

    public SourceAddresses(int count) {
        if (count < 1 || count > 65_000) {
            throw new IllegalArgumentException("--source-addresses must be 1 to 65000, not " + count);
        }
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int a = FIRST + i;
            list.add((a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff));
        }
        this.addresses = List.copyOf(list);
    }

    public int count() {
        return addresses.size();
    }

    /** Which address socket {@code slot} uses, as an index into {@link #all()}. */
    public int indexFor(int slot) {
        return Math.floorMod(slot, addresses.size());
    }

    /** The address socket {@code slot} connects from. */
    public String forSlot(int slot) {
        return addresses.get(indexFor(slot));
    }

    public List<String> all() {
        return addresses;
    }

    /** The most sockets any one address holds when {@code sockets} are spread this way. */
    public int mostPerAddress(int sockets) {
        return (sockets + addresses.size() - 1) / addresses.size();
    }
}
