package dev.sessionrpc.client.conformance;

/** Ends a check with what it expected and what it got, both in words a person can read. */
final class CheckFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String got;

    CheckFailed(String expected, String got) {
        super("expected " + expected + ", got " + got, null, false, false);
        this.expected = expected;
        this.got = got;
    }

    String expected() {
        return expected;
    }

    String got() {
        return got;
    }
}
