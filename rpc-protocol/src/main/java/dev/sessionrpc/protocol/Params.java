package dev.sessionrpc.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Reads a method's parameters by name, whether the client sent them named (an object) or by
 * position (an array in the documented order). A missing member and JSON null both read as
 * absent, which is how the protocol treats them.
 */
public final class Params {

    private final JsonNode params;
    private final List<String> order;

    private Params(JsonNode params, List<String> order) {
        this.params = params;
        this.order = order;
    }

    /**
     * @param params the request's params (object, array or null)
     * @param order the documented parameter names, in positional order
     * @throws RpcException InvalidParams when an array holds more values than the method takes
     */
    public static Params of(JsonNode params, List<String> order) {
        if (params != null && params.isArray() && params.size() > order.size()) {
            throw new RpcException(ErrorCode.INVALID_PARAMS,
                    "Invalid params: expected at most " + order.size() + " positional params, got " + params.size());
        }
        return new Params(params, order);
    }

    /** The value of the named param, or null when it is absent or JSON null. */
    public JsonNode get(String name) {
        if (params == null) {
            return null;
        }
        JsonNode value;
        if (params.isArray()) {
            int index = order.indexOf(name);
            value = index >= 0 && index < params.size() ? params.get(index) : null;
        } else {
            value = params.get(name);
        }
        return value == null || value.isNull() ? null : value;
    }

    /** The value of the named param, or MissingParameter naming it. */
    public JsonNode require(String name) {
        JsonNode value = get(name);
        if (value == null) {
            throw new RpcException(ErrorCode.MISSING_PARAMETER, "Missing parameter: " + name, name);
        }
        return value;
    }
}
