package dev.sessionrpc.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository (README, docs/, deploy/) for tests that check the docs against the code. */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository's top folder: the nearest one above the working directory with docs/ and deploy/. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("deploy")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository's top folder above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    /** A file's text, by its path from the top folder ({@code "docs/PROTOCOL.md"}). */
    public static String read(String path) throws IOException {
        return Files.readString(root().resolve(path));
    }
}
