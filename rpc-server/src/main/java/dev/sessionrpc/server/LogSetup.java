package dev.sessionrpc.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-format} and {@code --log-level} to the console log: logback.xml (text) or
 * logback-json.xml (JSON lines), both reading the level from their property
 * {@code RPC_LOG_LEVEL}. Logback starts with logback.xml and the environment's level; the server
 * reloads the chosen file with the chosen level before it writes its first line.
 */
final class LogSetup {

    /** How lines are written: for people, or one JSON object per line for a log shipper. */
    enum Format { text, json }

    /** The levels an operator may choose for the server's own lines. */
    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    static final String LEVEL_PROPERTY = "RPC_LOG_LEVEL";

    private LogSetup() {
    }

    /** Reloads the console log with these settings; does nothing when logback is not the backend. */
    static void apply(Format format, Level level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            configure(context, format, level);
        }
    }

    static void configure(LoggerContext context, Format format, Level level) {
        URL config = LogSetup.class.getResource(format == Format.json ? "/logback-json.xml" : "/logback.xml");
        context.reset();
        context.putProperty(LEVEL_PROPERTY, level.name());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException(config + " could not be loaded: " + e.getMessage(), e);
        }
    }
}
