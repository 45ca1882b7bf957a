package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;

/**
 * Walks a method's params straight off the parser, by name or by position: the protocol's rule
 * that an array is matched to the documented order lives here once, for every params
 * marshaller. Members that are not params are skipped; an array longer than the params list is
 * InvalidParams, as it always was, and is reported before any param is judged.
 */
public final class ParamsReader {

    /** Takes the value of one param, the parser on its first token. */
    @FunctionalInterface
    public interface ParamVisitor {
        void param(int index, JsonParser p) throws IOException;
    }

    private ParamsReader() {
    }

    /**
     * Hands each param to the visitor with its index in {@code order}; absent params visit
     * nothing. The visitor leaves the parser on the value's first token (the value is then
     * skipped) or on its last.
     *
     * @throws RpcException InvalidParams when an array holds more values than the method takes
     */
    public static void read(JsonParser p, List<String> order, ParamVisitor visitor) throws IOException {
        JsonToken first = p.currentToken();
        if (first == JsonToken.START_OBJECT) {
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                int index = order.indexOf(name);
                if (index >= 0) {
                    visitor.param(index, p);
                }
                skipRest(p);
            }
        } else if (first == JsonToken.START_ARRAY) {
            int count = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (count < order.size()) {
                    visitor.param(count, p);
                }
                skipRest(p);
                count++;
            }
            if (count > order.size()) {
                throw new RpcException(ErrorCode.INVALID_PARAMS,
                        "Invalid params: expected at most " + order.size() + " positional params, got " + count);
            }
        }
    }

    /** True for JSON null, which the protocol reads as an absent param. */
    public static boolean isNull(JsonParser p) {
        return p.currentToken() == JsonToken.VALUE_NULL;
    }

    /** Moves past whatever of the current value a visitor left: a container it did not enter. */
    private static void skipRest(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
    }
}
