package dev.sessionrpc.protocol.session;

import java.util.regex.Pattern;

/**
 * The format rules of PROTOCOL.md §3 for what clients send: hashes, answers, ids, platform and
 * client names, and versions (SemVer 2.0.0 or PEP 440). They sit beside the params readers that
 * apply them, so that each param is judged once, as it is read. Pure functions, no errors thrown.
 */
public final class SessionRules {

    public static final int MAX_LABEL_LENGTH = 32;
    private static final String FORBIDDEN_LABEL_CHARS = "'^£$%&*()}{@#~?><>,|=_+¬-";

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    /** PEP 440's permissive version pattern (its appendix), matched case-insensitively. */
    private static final Pattern PEP440 = Pattern.compile(
            "v?(?:(?:[0-9]+)!)?[0-9]+(?:\\.[0-9]+)*"
                    + "(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?"
                    + "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
                    + "(?:[-_.]?dev[-_.]?[0-9]*)?"
                    + "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?",
            Pattern.CASE_INSENSITIVE);

    private SessionRules() {
    }

    /** Exactly {@code length} hex digits, either case. */
    public static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** A platform or client name: 1 to 32 characters, not blank, no control or forbidden characters. */
    public static boolean isLabel(String s) {
        if (s == null || s.isBlank()) {
            return false;
        }
        int length = s.codePointCount(0, s.length());
        if (length > MAX_LABEL_LENGTH) {
            return false;
        }
        return s.codePoints().noneMatch(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT
                || FORBIDDEN_LABEL_CHARS.indexOf(cp) >= 0);
    }

    /** 1 to 32 characters of a SemVer 2.0.0 or PEP 440 version. */
    public static boolean isVersion(String s) {
        return s != null && !s.isEmpty() && s.length() <= MAX_LABEL_LENGTH
                && (SEMVER.matcher(s).matches() || PEP440.matcher(s).matches());
    }
}
