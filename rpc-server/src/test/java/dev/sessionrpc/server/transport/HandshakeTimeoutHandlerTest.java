package dev.sessionrpc.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The handshake timer on an {@link EmbeddedChannel} with frozen time, so no test sleeps. */
class HandshakeTimeoutHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new HandshakeTimeoutHandler(TIMEOUT));
        return ch;
    }

    @Test
    void connectionWithoutACompleteRequestIsClosedWhenTheTimeRunsOut() {
        EmbeddedChannel ch = channel();
        ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("just before the timeout").isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void completeRequestInTimeCancelsTheTimerAndIsPassedOn() {
        EmbeddedChannel ch = channel();
        ch.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/rpc"));
        Object passed = ch.readInbound();
        assertThat(passed).isInstanceOf(DefaultFullHttpRequest.class);
        ReferenceCountUtil.release(passed);
        assertThat(ch.pipeline().get(HandshakeTimeoutHandler.class)).as("removed itself").isNull();
        ch.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void otherMessagesDoNotStopTheTimer() {
        EmbeddedChannel ch = channel();
        ch.writeInbound("not an HTTP request");
        assertThat((Object) ch.readInbound()).isEqualTo("not an HTTP request");
        ch.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }
}
