package dev.sessionrpc.client.conformance;

/** The outcome of one check on one transport. {@code expected} and {@code got} are set on failure. */
public record CheckResult(String transport, String name, boolean passed, String expected, String got) {

    static CheckResult pass(String transport, String name) {
        return new CheckResult(transport, name, true, null, null);
    }

    static CheckResult fail(String transport, String name, String expected, String got) {
        return new CheckResult(transport, name, false, expected, got);
    }

    /** The report line: {@code PASS [ws] name} or {@code FAIL [ws] name: expected X, got Y}. */
    public String line() {
        return passed ? "PASS [" + transport + "] " + name
                : "FAIL [" + transport + "] " + name + ": expected " + expected + ", got " + got;
    }
}
