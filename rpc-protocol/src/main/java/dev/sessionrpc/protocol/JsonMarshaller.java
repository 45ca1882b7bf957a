package dev.sessionrpc.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * How one type travels as JSON, read from the streaming parser and written to the streaming
 * generator, with no tree in between (the model is grpc-java's {@code Marshaller}: one per type,
 * shared by server and client). A params marshaller is handed a parser on the params' first token
 * ({@code {} or {@code [}), or one with no current token when the request has no params; a result
 * marshaller is handed a parser on the result's first token. A reader leaves the parser on the
 * value's last token and throws {@link RpcException} for a value its method refuses.
 */
public interface JsonMarshaller<T> {

    /** Reads one value starting at the parser's current token. */
    T read(JsonParser p) throws IOException;

    /** Writes one value; null only where the type allows it. */
    void write(T value, JsonGenerator g) throws IOException;
}
