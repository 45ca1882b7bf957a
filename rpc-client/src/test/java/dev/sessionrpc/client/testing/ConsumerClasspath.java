package dev.sessionrpc.client.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classpath a Maven project that depends on rpc-client gets: the plain rpc-client jar and its
 * runtime dependencies without the optional ones, read from the list that the build's
 * {@code consumer-dependencies} execution of maven-dependency-plugin writes (Maven marks each
 * optional dependency, and whatever only it brings, {@code (optional)}). Tests run the SDK's
 * examples on it as a reader's project would.
 */
public final class ConsumerClasspath {

    /** Written by the pre-integration-test phase; see rpc-client/pom.xml. */
    public static final Path DEPENDENCY_LIST = Path.of("target", "consumer-dependencies.txt");

    /** One resolved artifact: {@code group:artifact:type[:classifier]:version:scope:/path [(optional)] [-- module …]}. */
    private static final Pattern ARTIFACT = Pattern.compile("^\\S+?:(?:compile|runtime):(.+?)( \\(optional\\))?( -- .*)?$");

    /**
     * What each slf4j 2 backend registers, and the packages of the backends Netty or a user might
     * bring besides: none of them belongs on the SDK's classpath.
     */
    private static final List<String> BACKEND_ENTRIES = List.of(
            "META-INF/services/org.slf4j.spi.SLF4JServiceProvider",
            "ch/qos/logback/",
            "org/slf4j/simple/",
            "org/apache/logging/log4j/core/");

    private ConsumerClasspath() {
    }

    /** The plain rpc-client jar (or classes) this test runs against, then its non-optional runtime dependencies. */
    public static List<Path> read() throws IOException {
        List<Path> classpath = new ArrayList<>();
        classpath.add(locationOf(dev.sessionrpc.client.RpcClient.class));
        for (String line : Files.readAllLines(DEPENDENCY_LIST)) {
            Matcher m = ARTIFACT.matcher(line.strip());
            if (m.matches() && m.group(2) == null) {
                classpath.add(Path.of(m.group(1)));
            }
        }
        return classpath;
    }

    /** The entries of a logging backend on this classpath, as {@code jar!entry}; empty when it has none. */
    public static List<String> loggingBackendEntries(List<Path> classpath) {
        List<String> found = new ArrayList<>();
        for (Path element : classpath) {
            if (Files.isDirectory(element)) {
                BACKEND_ENTRIES.stream().filter(e -> Files.exists(element.resolve(e)))
                        .forEach(e -> found.add(element + "!" + e));
                continue;
            }
            try (JarFile jar = new JarFile(element.toFile())) {
                try (Stream<String> names = jar.stream().map(e -> e.getName())) {
                    names.filter(name -> BACKEND_ENTRIES.stream().anyMatch(name::startsWith))
                            .findFirst()
                            .ifPresent(name -> found.add(element + "!" + name));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + element, e);
            }
        }
        return found;
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
