package dev.sessionrpc.protocol;

import java.util.Objects;

/**
 * A request's params as its method's marshaller read them while the codec decoded the request,
 * in the same pass over the bytes: the value, or what the marshaller refused them with. Kept
 * with the marshaller that read them, so that only that method's dispatch takes them; any other
 * reader still reads the params' bytes.
 */
public record ReadParams(JsonMarshaller<?> reader, Object value, Throwable failure) {

    public ReadParams {
        Objects.requireNonNull(reader, "reader");
        if (failure != null && value != null) {
            throw new IllegalArgumentException("params are read or refused, not both");
        }
    }

    /**
     * The value, when {@code marshaller} is the one that read it.
     *
     * @throws Throwable what the marshaller refused the params with
     */
    @SuppressWarnings("unchecked")
    public <P> P valueFor(JsonMarshaller<P> marshaller) throws Throwable {
        if (marshaller != reader) {
            throw new IllegalArgumentException("params were read by another marshaller");
        }
        if (failure != null) {
            throw failure;
        }
        return (P) value;
    }
}
