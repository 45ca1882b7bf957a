package dev.sessionrpc.client.conformance;

import java.util.Set;

/**
 * One named check: what it sends and what it expects back. {@code transports} says where it
 * applies ({@code ws}, {@code http} or both); the body throws {@link CheckFailed} to fail.
 */
record Check(Group group, String name, Set<String> transports, Body body) {

    static final Set<String> BOTH = Set.of("ws", "http");
    static final Set<String> WS = Set.of("ws");
    static final Set<String> HTTP = Set.of("http");

    /** The part of the suite a check belongs to; {@code --only} selects parts by these names. */
    enum Group {
        /** JSON-RPC 2.0 itself, transport-neutral: runnable against any JSON-RPC server. */
        JSONRPC("jsonrpc"),
        /** This protocol's stricter rules: data.name, batch order, limits, transport details. */
        PROTOCOL("protocol"),
        /** session.create, session.get and help.get_server_information as PROTOCOL.md §3 and §4 say. */
        SESSION("session");

        private final String label;

        Group(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        static Group byLabel(String label) {
            for (Group g : values()) {
                if (g.label.equalsIgnoreCase(label.trim())) {
                    return g;
                }
            }
            throw new IllegalArgumentException("no such part of the suite: " + label + " (jsonrpc, protocol, session)");
        }
    }

    /** What a check does with its probe. */
    @FunctionalInterface
    interface Body {
        void run(Probe probe);
    }

    static Check of(Group group, String name, Body body) {
        return new Check(group, name, BOTH, body);
    }
}
