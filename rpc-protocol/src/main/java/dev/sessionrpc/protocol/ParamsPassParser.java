package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;

/**
 * The codec's own parser as a method's params marshaller sees it while the codec decodes the
 * request, so that params are parsed once instead of twice. It checks what the codec checks as
 * the tokens go past (duplicate keys, numbers), ends where the params end, and tells a failure
 * of the input (which makes the whole message a parse error) from the marshaller's own refusal
 * (which is the method's error, as when it read the params from their bytes).
 */
final class ParamsPassParser extends JsonParserDelegate {

    private final DuplicateKeys keys;
    private final DuplicateKeys.NumberCheck numbers;
    /** The parser for the number check, made at the first number. */
    private JsonParser numberView;
    /** Containers open within the params; zero once their last token is read. */
    private int open = 1;
    private Exception inputFailure;

    /** @param p the codec's parser, on the params' first token ({@code {} or {@code [}) */
    ParamsPassParser(JsonParser p, DuplicateKeys keys, DuplicateKeys.NumberCheck numbers) {
        super(p);
        this.keys = keys;
        this.numbers = numbers;
        if (p.currentToken() == JsonToken.START_OBJECT) {
            keys.enterObject();
        }
    }

    /** Null past the params' last token, as a parser over the params' own bytes would be. */
    @Override
    public JsonToken nextToken() throws IOException {
        if (open == 0) {
            return null;
        }
        try {
            JsonToken t = delegate.nextToken();
            if (t == null) {
                throw new JsonParseException(delegate, "end of input inside params");
            }
            switch (t) {
                case START_OBJECT -> {
                    open++;
                    keys.enterObject();
                }
                case START_ARRAY -> open++;
                case END_OBJECT -> {
                    open--;
                    keys.exitObject();
                }
                case END_ARRAY -> open--;
                case FIELD_NAME -> keys.name(delegate, delegate.currentName());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> numbers.check(numberView());
                default -> {
                }
            }
            return t;
        } catch (IOException | RuntimeException e) {
            inputFailure = e;
            throw e;
        }
    }

    /** The codec's parser for a number check, which reads the value as a tree would but leaves the token to the marshaller. */
    private JsonParser numberView() {
        if (numberView == null) {
            numberView = new JsonParserDelegate(delegate) {
                @Override
                public void clearCurrentToken() {
                    // the marshaller reads this token next
                }
            };
        }
        return numberView;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = nextToken();
        return t == JsonToken.FIELD_NAME ? nextToken() : t;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        JsonToken current = currentToken();
        if (current == JsonToken.START_OBJECT || current == JsonToken.START_ARRAY) {
            int until = open - 1;
            while (open > until) {
                nextToken();
            }
        }
        return this;
    }

    /**
     * Reads whatever the marshaller left of the params, so that the codec goes on after them.
     *
     * @throws IOException the input's own failure, should the marshaller have met one and caught it
     */
    void finish() throws IOException {
        rethrowInputFailure();
        while (open > 0) {
            nextToken();
        }
    }

    /** Throws the input's failure that ended the marshaller's reading, if that is what ended it. */
    void rethrowInputFailure() throws IOException {
        if (inputFailure instanceof IOException io) {
            throw io;
        }
        if (inputFailure instanceof RuntimeException runtime) {
            throw runtime;
        }
    }
}
