package dev.sessionrpc.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error object as it travels: {@code code}, {@code message} and {@code data}, where
 * {@code data.name} names the catalogue entry and {@code data.parameter} the parameter at fault.
 */
public record JsonRpcError(int code, String message, Map<String, Object> data) {

    public JsonRpcError {
        Objects.requireNonNull(message, "message");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static JsonRpcError of(ErrorCode code, String message) {
        return of(code, message, null, Map.of());
    }

    public static JsonRpcError of(ErrorCode code, String message, String parameter, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", code.wireName());
        if (parameter != null) {
            data.put("parameter", parameter);
        }
        // name and parameter are the catalogue's; extra data may add members but never replace them
        extra.forEach(data::putIfAbsent);
        return new JsonRpcError(code.code(), message, data);
    }

    /** {@code data.name}, or null when the peer sent none. */
    public String name() {
        Object name = data.get("name");
        return name instanceof String s ? s : null;
    }

    /** {@code data.parameter}, or null. */
    public String parameter() {
        Object p = data.get("parameter");
        return p instanceof String s ? s : null;
    }
}
