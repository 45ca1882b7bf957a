package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Walks the members of a JSON object straight off the parser, for the marshallers that read a
 * value into a record. Members a reader does not take are skipped, so a newer server may
 * add members without breaking older clients.
 */
public final class JsonFields {

    /** Takes the value of one member, the parser on its first token. */
    @FunctionalInterface
    public interface FieldVisitor {
        void field(String name, JsonParser p) throws IOException;
    }

    private JsonFields() {
    }

    /** The text of a string value, or null for any other value (which a string param refuses). */
    public static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /**
     * Hands each member to the visitor, which leaves the parser on the value's first token (the
     * value is then skipped) or on its last. Returns false, visiting nothing, for JSON null.
     *
     * @throws JsonParseException for any value that is neither an object nor null
     */
    public static boolean read(JsonParser p, FieldVisitor visitor) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return false;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "expected an object, found " + p.currentToken());
        }
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            p.nextToken();
            visitor.field(name, p);
            if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
        }
        return true;
    }
}
