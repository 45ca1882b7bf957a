package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.slf4j.event.KeyValuePair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml and logback-json.xml (tests run with logback-test.xml, so they are loaded here by hand). */
class LogbackConfigTest {

    @Test
    void everyLineGoesThroughAnAsynchronousAppenderThatNeverBlocksALoop() throws Exception {
        LoggerContext context = new LoggerContext();
        LogSetup.configure(context, LogSetup.Format.text, LogSetup.Level.INFO);
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
            root.iteratorForAppenders().forEachRemaining(appenders::add);
            assertThat(appenders).singleElement().isInstanceOf(AsyncAppender.class);
            AsyncAppender async = (AsyncAppender) appenders.get(0);
            assertThat(async.isNeverBlock()).as("neverBlock").isTrue();
            assertThat(async.getDiscardingThreshold()).as("INFO lines are not dropped early").isZero();
            assertThat(async.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class);
            assertThat(context.getLogger("dev.sessionrpc").isAdditive()).as("dev.sessionrpc lines reach the root's appender").isTrue();
        } finally {
            context.stop();
        }
    }

    @Test
    void jsonLinesCarryLevelLoggerMessageAndTheConnectionAsFields() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        LogSetup.configure(context, LogSetup.Format.json, LogSetup.Level.DEBUG);
        try {
            Logger logger = context.getLogger("dev.sessionrpc.server.connections");
            assertThat(logger.getEffectiveLevel()).isEqualTo(Level.DEBUG);
            AsyncAppender async = (AsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
            ConsoleAppender<ILoggingEvent> json = (ConsoleAppender<ILoggingEvent>) async.getAppender("CONSOLE");
            LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, Level.INFO, "{} opened a WebSocket", null,
                    new Object[] {"6f1c2a9e /127.0.0.1:50000"});
            event.addKeyValuePair(new KeyValuePair("connection", "6f1c2a9e"));
            String line = new String(json.getEncoder().encode(event), StandardCharsets.UTF_8);
            assertThat(line).endsWith("\n").hasLineCount(1);
            JsonNode fields = new ObjectMapper().readTree(line);
            assertThat(fields.path("level").asText()).isEqualTo("INFO");
            assertThat(fields.path("loggerName").asText()).isEqualTo("dev.sessionrpc.server.connections");
            assertThat(fields.path("formattedMessage").asText()).isEqualTo("6f1c2a9e /127.0.0.1:50000 opened a WebSocket");
            assertThat(fields.path("kvpList").toString()).contains("\"connection\":\"6f1c2a9e\"");
        } finally {
            context.stop();
        }
    }
}
