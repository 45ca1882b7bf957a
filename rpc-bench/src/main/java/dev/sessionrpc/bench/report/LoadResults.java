package dev.sessionrpc.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading what {@code load --json} wrote, for the report commands: the scripts append one JSON
 * object a line to a results file, and anything else in it (a stray log line) is skipped.
 */
final class LoadResults {

    private LoadResults() {
    }

    /** Every JSON object line of the files, in order. */
    static List<JsonNode> read(List<Path> files) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> runs = new ArrayList<>();
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                if (!line.isBlank() && line.trim().startsWith("{")) {
                    runs.add(mapper.readTree(line));
                }
            }
        }
        return runs;
    }

    /** Requests of the run that did not end in a good reply: errors, timeouts, unreadable, unexpected, wrong, unsent. */
    static long failures(JsonNode run) {
        return run.path("errors").asLong() + run.path("timeouts").asLong() + run.path("malformed").asLong()
                + run.path("unexpected").asLong() + run.path("invalid").asLong() + run.path("unsent").asLong();
    }
}
