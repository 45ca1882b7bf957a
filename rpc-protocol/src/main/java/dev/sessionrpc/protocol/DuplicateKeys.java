package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Refuses a key that appears twice in one object, as Jackson's strict duplicate detection did,
 * without its price: that detector builds a hash set for every object of three or more members,
 * which was the largest share of what a request cost to decode. Here the names of the objects
 * being read sit in one array that each thread reuses, and an object is searched linearly up to
 * a few members; only a larger object gets a set of its own, so a client cannot make a check
 * quadratic. One instance per thread, reset at the start of every message.
 */
final class DuplicateKeys {

    /** Members an object may have before its names go into a set instead of a linear search. */
    private static final int LINEAR_MEMBERS = 8;
    private static final ThreadLocal<DuplicateKeys> PER_THREAD = ThreadLocal.withInitial(DuplicateKeys::new);

    private String[] names = new String[32];
    private int size;
    /** Where each open object's names start in {@link #names}. */
    private int[] starts = new int[8];
    /** The set of an open object that outgrew the linear search, else null. */
    private Set<String>[] sets = newSets(8);
    private int depth;

    private DuplicateKeys() {
    }

    /** This thread's checker, emptied for a new message. */
    static DuplicateKeys forMessage() {
        DuplicateKeys keys = PER_THREAD.get();
        keys.reset();
        return keys;
    }

    /** The parser has just read the {@code {} of an object. */
    void enterObject() {
        if (depth == starts.length) {
            starts = Arrays.copyOf(starts, depth * 2);
            sets = Arrays.copyOf(sets, depth * 2);
        }
        starts[depth] = size;
        sets[depth] = null;
        depth++;
    }

    /** The parser has just read the {@code }} of the innermost open object. */
    void exitObject() {
        depth--;
        int start = starts[depth];
        Arrays.fill(names, start, size, null);
        size = start;
        sets[depth] = null;
    }

    /**
     * A member name of the innermost open object.
     *
     * @throws JsonParseException when the object has a member of that name already
     */
    void name(JsonParser p, String name) throws JsonParseException {
        int top = depth - 1;
        Set<String> set = sets[top];
        if (set != null) {
            if (!set.add(name)) {
                throw duplicate(p, name);
            }
            return;
        }
        int start = starts[top];
        for (int i = start; i < size; i++) {
            if (names[i].equals(name)) {
                throw duplicate(p, name);
            }
        }
        if (size - start == LINEAR_MEMBERS) {
            set = new HashSet<>(Arrays.asList(names).subList(start, size));
            set.add(name);
            sets[top] = set;
            return;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
        }
        names[size++] = name;
    }

    /**
     * Reads past the current value, checking the keys of every object in it; the parser ends on
     * the value's last token. With {@code numbers}, each number goes through {@code numberCheck}
     * as well.
     */
    void skipValue(JsonParser p, NumberCheck numbers) throws IOException {
        JsonToken first = p.currentToken();
        if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
            if (numbers != null && first != null && first.isNumeric()) {
                numbers.check(p);
            }
            return;
        }
        if (first == JsonToken.START_OBJECT) {
            enterObject();
        }
        for (int open = 1; open > 0; ) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "end of input inside a value");
            }
            switch (t) {
                case START_OBJECT -> {
                    open++;
                    enterObject();
                }
                case START_ARRAY -> open++;
                case END_OBJECT -> {
                    open--;
                    exitObject();
                }
                case END_ARRAY -> open--;
                case FIELD_NAME -> name(p, p.currentName());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    if (numbers != null) {
                        numbers.check(p);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Checks a number token as reading it into a value would. */
    @FunctionalInterface
    interface NumberCheck {
        void check(JsonParser p) throws IOException;
    }

    private void reset() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(sets, 0, depth, null);
        size = 0;
        depth = 0;
    }

    private static JsonParseException duplicate(JsonParser p, String name) {
        // the codec reads "Duplicate field" as Jackson's own detector worded it
        return new JsonParseException(p, "Duplicate field '" + name + "'");
    }

    @SuppressWarnings("unchecked")
    private static Set<String>[] newSets(int length) {
        return (Set<String>[]) new Set<?>[length];
    }
}
