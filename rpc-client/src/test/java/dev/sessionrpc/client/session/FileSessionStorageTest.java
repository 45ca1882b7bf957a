package dev.sessionrpc.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSessionStorageTest {

    private static final StoredSession FIRST = new StoredSession("a".repeat(64), "A".repeat(64), "1".repeat(64), "2".repeat(64));
    private static final StoredSession SECOND = new StoredSession("b".repeat(64), "B".repeat(64), "1".repeat(64), "2".repeat(64));

    @TempDir
    Path dir;

    @Test
    void aMissingFileMeansNoSession() {
        assertThat(new FileSessionStorage(dir.resolve("session.json")).load()).isEmpty();
    }

    @Test
    void aSavedSessionIsLoadedByANewInstance() {
        Path file = dir.resolve("session.json");
        new FileSessionStorage(file).save(FIRST);
        assertThat(new FileSessionStorage(file).load()).contains(FIRST);
    }

    @Test
    void theFileIsReadableAndWritableByItsOwnerOnly() throws IOException {
        Path file = dir.resolve("session.json");
        new FileSessionStorage(file).save(FIRST);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aMissingDirectoryIsCreatedForItsOwnerOnly() throws IOException {
        Path file = dir.resolve("profile").resolve("session.json");
        new FileSessionStorage(file).save(FIRST);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(new FileSessionStorage(file).load()).contains(FIRST);
    }

    @Test
    void savingAgainReplacesTheSessionAndLeavesNoTemporaryFilesBehind() throws IOException {
        Path file = dir.resolve("session.json");
        FileSessionStorage storage = new FileSessionStorage(file);
        storage.save(FIRST);
        storage.save(SECOND);
        assertThat(storage.load()).contains(SECOND);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aFileThatDoesNotHoldASessionCountsAsNone() throws IOException {
        Path file = dir.resolve("session.json");
        Files.writeString(file, "{\"session_id\": \"cut sho");
        assertThat(new FileSessionStorage(file).load()).isEmpty();
        Files.writeString(file, "{\"session_id\": \"only an id\"}");
        assertThat(new FileSessionStorage(file).load()).isEmpty();
    }

    @Test
    void clearForgetsTheSession() {
        FileSessionStorage storage = new FileSessionStorage(dir.resolve("session.json"));
        storage.save(FIRST);
        storage.clear();
        assertThat(storage.load()).isEmpty();
    }

    @Test
    void aStoredSessionDoesNotPrintItsSecrets() {
        assertThat(FIRST.toString()).contains(FIRST.sessionId()).doesNotContain(FIRST.challenge()).doesNotContain(FIRST.privateHash());
    }
}
