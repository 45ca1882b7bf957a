package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml (tests run with logback-test.xml, so it is loaded here by hand). */
class LogbackConfigTest {

    @Test
    void everyLineGoesThroughAnAsynchronousAppenderThatNeverBlocksALoop() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
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
}
