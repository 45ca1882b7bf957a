package dev.sessionrpc.client.cli;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.URL;
import java.security.CodeSource;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Gives the CLI jar's bundled logback the CLI's quiet configuration when nobody configured it.
 * {@code java -jar rpc-client.jar} gets it through {@link RpcClientCommand#main}, but the same jar
 * on an application's classpath, used as a library, never runs {@code main}, and logback with no
 * configuration logs everything at DEBUG on standard output (dozens of Netty's lines for one
 * call). Logback finds this class as a service; it steps aside when logback did not come inside
 * this jar (the plain jar's users bring their own backend and their own defaults) and when the
 * application configures logback itself ({@code logback.configurationFile}, a {@code logback.xml}
 * or {@code logback-test.xml} on the classpath).
 */
public final class CliLogbackConfigurator extends ContextAwareBase implements Configurator {

    static final String CONFIGURATION = "dev/sessionrpc/client/cli/cli-logback.xml";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (!bundled(location(LoggerContext.class), location(CliLogbackConfigurator.class)) || configuredByApplication()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(Objects.requireNonNull(resource(CONFIGURATION), CONFIGURATION));
        } catch (JoranException e) {
            addError("cannot read " + CONFIGURATION, e);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether logback was loaded from the same jar as this class: the CLI jar, which bundles it. */
    private static boolean bundled(URL logback, URL ours) {
        return logback != null && ours != null && logback.toExternalForm().equals(ours.toExternalForm());
    }

    private boolean configuredByApplication() {
        return System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null
                || Stream.of(ClassicConstants.TEST_AUTOCONFIG_FILE, ClassicConstants.AUTOCONFIG_FILE)
                        .anyMatch(name -> resource(name) != null);
    }

    private static URL resource(String name) {
        return CliLogbackConfigurator.class.getClassLoader().getResource(name);
    }

    private static URL location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
