package dev.sessionrpc.bench.load;

/**
 * A request that is the same every time but for its id: {@code prefix + id + "}"}. Serves
 * {@code session.create} (one fixed set of params per connection), any other named method, and
 * the raw echo load.
 */
public class TemplateSource implements RequestSource {

    private final byte[] prefix;

    /** @param body the request object without its closing brace and without an id member */
    public TemplateSource(String body) {
        this.prefix = RequestSource.utf8(body + ",\"id\":");
    }

    @Override
    public int maxLength() {
        return prefix.length + 21;
    }

    @Override
    public int write(byte[] dst, long id) {
        System.arraycopy(prefix, 0, dst, 0, prefix.length);
        int pos = RequestSource.writeDecimal(dst, prefix.length, id);
        dst[pos++] = '}';
        return pos;
    }

    /** {@code {"jsonrpc":"2.0","method":...,"params":...}} for the given method and raw params JSON (or null). */
    public static TemplateSource method(String method, String paramsJson) {
        StringBuilder b = new StringBuilder("{\"jsonrpc\":\"2.0\",\"method\":\"").append(method).append('"');
        if (paramsJson != null && !paramsJson.isBlank()) {
            b.append(",\"params\":").append(paramsJson);
        }
        return new TemplateSource(b.toString());
    }
}
