package dev.sessionrpc.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import picocli.CommandLine;

/** Reads a command-line argument that must be a JSON object or array (params). */
final class JsonArgument implements CommandLine.ITypeConverter<JsonNode> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public JsonNode convert(String value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            throw new CommandLine.TypeConversionException("not valid JSON: " + value);
        }
        if (node == null || !(node.isObject() || node.isArray())) {
            throw new CommandLine.TypeConversionException("params must be a JSON object or array: " + value);
        }
        return node;
    }
}
