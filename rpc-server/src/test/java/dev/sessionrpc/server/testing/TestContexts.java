package dev.sessionrpc.server.testing;

import dev.sessionrpc.server.dispatch.RequestContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.time.Duration;

/** Request contexts for tests that call methods directly, without a connection. */
public final class TestContexts {

    private TestContexts() {
    }

    /** A WebSocket call from loopback, due in a minute; its deadline timer runs on Netty's global executor. */
    public static RequestContext loopback() {
        return new RequestContext(InetAddress.getLoopbackAddress(), RequestContext.Transport.WEBSOCKET,
                GlobalEventExecutor.INSTANCE, GlobalEventExecutor.INSTANCE.ticker().nanoTime() + Duration.ofMinutes(1).toNanos());
    }
}
