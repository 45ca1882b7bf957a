package dev.sessionrpc.server.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which web pages may call {@code /rpc} from their visitors' browsers ({@code --allowed-origins}).
 * Any page can open a WebSocket or POST to any server, and the visitor's browser lends it the
 * visitor's address; without this check a page could spend a shared network's create quota or
 * flood the server from everyone who opens it. Browsers always send {@code Origin} on those
 * requests, and desktop clients and scripts send none, so a request without one is served and a
 * request whose origin is not listed is refused. The same list answers CORS, so that a listed page
 * may also read the replies to its {@code fetch}.
 */
public final class AllowedOrigins {

    /** Allows no browser page at all: the default. */
    public static final AllowedOrigins NONE = new AllowedOrigins(Set.of(), false);
    /** The entry that allows every origin, {@code null} and {@code file://} included. */
    public static final String ANY = "*";
    /** How long a browser may reuse a preflight's answer. */
    static final int PREFLIGHT_MAX_AGE_SECONDS = 600;

    /** scheme://host[:port], host a name, an IPv4 address or a bracketed IPv6 address; nothing after. */
    private static final Pattern ORIGIN = Pattern.compile(
            "([a-z][a-z0-9+.-]*)://([a-z0-9._~-]+|\\[[0-9a-f:.]+\\])(?::([0-9]{1,5}))?", Pattern.CASE_INSENSITIVE);

    /** What a request's {@code Origin} header says about it. */
    public enum Verdict {
        /** No {@code Origin}: not a browser page's request (desktop client, script, SDK). */
        ABSENT,
        /** One {@code Origin} that is allowed. */
        ALLOWED,
        /** An origin not on the list, or more than one {@code Origin} header. */
        REFUSED
    }

    private final Set<String> origins;
    private final boolean any;

    private AllowedOrigins(Set<String> origins, boolean any) {
        this.origins = origins;
        this.any = any;
    }

    /**
     * Reads the flag's entries: each an origin {@code scheme://host[:port]} or {@code *}. Blank
     * entries are skipped; anything else throws {@link IllegalArgumentException} naming the entry.
     */
    public static AllowedOrigins of(List<String> entries) {
        Set<String> origins = new LinkedHashSet<>();
        boolean any = false;
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            if (ANY.equals(e)) {
                any = true;
                continue;
            }
            String origin = normalize(e);
            if (origin == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]) or *: '" + e + "'");
            }
            origins.add(origin);
        }
        return any || !origins.isEmpty() ? new AllowedOrigins(Set.copyOf(origins), any) : NONE;
    }

    /**
     * The serialized origin as browsers send it (lower-case scheme and host, no default port), or
     * null when the text is not an origin with a host: {@code null} and {@code file://} are not.
     */
    static String normalize(String text) {
        Matcher m = ORIGIN.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String host = m.group(2).toLowerCase(Locale.ROOT);
        String port = m.group(3);
        if (port == null) {
            return scheme + "://" + host;
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            return null;
        }
        boolean defaultPort = p == 80 && (scheme.equals("http") || scheme.equals("ws"))
                || p == 443 && (scheme.equals("https") || scheme.equals("wss"));
        return defaultPort ? scheme + "://" + host : scheme + "://" + host + ":" + p;
    }

    /** Judges a request by its {@code Origin} header(s). */
    public Verdict check(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.ORIGIN);
        if (values.isEmpty()) {
            return Verdict.ABSENT;
        }
        if (values.size() > 1) {
            return Verdict.REFUSED;
        }
        if (any) {
            return Verdict.ALLOWED;
        }
        String origin = normalize(values.get(0).strip());
        return origin != null && origins.contains(origin) ? Verdict.ALLOWED : Verdict.REFUSED;
    }

    /** Marks a {@code /rpc} answer as depending on the request's origin, so that no cache serves it to another page. */
    static void varyOnOrigin(HttpHeaders responseHeaders) {
        responseHeaders.set(HttpHeaderNames.VARY, "Origin");
    }

    /**
     * The CORS headers of an answer to {@code origin} (the request's own {@code Origin}, already
     * judged allowed), or only {@code Vary: Origin} when the request had none.
     */
    static void corsHeaders(HttpHeaders responseHeaders, String origin) {
        varyOnOrigin(responseHeaders);
        if (origin != null) {
            responseHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
    }
}
