package dev.sessionrpc.client.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the session in a JSON file, so that a desktop client keeps its session across restarts.
 * The file holds secrets (the challenge and the private hash), so it is created readable and
 * writable by its owner only, and every save writes a temporary file in the same directory and
 * moves it over the old one atomically: a crash leaves the old session or the new one, never half
 * of either.
 */
public final class FileSessionStorage implements SessionStorage {

    private static final Logger log = LoggerFactory.getLogger(FileSessionStorage.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    public FileSessionStorage(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /**
     * The stored session. A file that cannot be read as a session (cut short, edited by hand)
     * counts as none, with a warning, so that the client creates a new session and overwrites it;
     * a file that cannot be read at all (permissions) is an error.
     */
    @Override
    public synchronized Optional<StoredSession> load() {
        try {
            return Optional.of(mapper.readValue(Files.readAllBytes(file), StoredSession.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            log.warn("ignoring the session file {}, which does not hold a session: {}", file, e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the session file " + file, e);
        }
    }

    @Override
    public synchronized void save(StoredSession session) {
        Path dir = file.getParent();
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, attributes(OWNER_ONLY_DIR));
            }
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes(OWNER_ONLY));
            if (posix) {
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            }
            byte[] json = mapper.writeValueAsBytes(session);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(json);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the session file " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that failure is the one to report
                }
            }
        }
    }

    @Override
    public synchronized void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the session file " + file, e);
        }
    }

    private FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }
}
