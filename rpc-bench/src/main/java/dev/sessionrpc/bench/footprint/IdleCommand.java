package dev.sessionrpc.bench.footprint;

import dev.sessionrpc.bench.DurationConverter;
import dev.sessionrpc.bench.WsClient;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpc-bench idle}: opens many WebSockets that send nothing (the client still answers the
 * server's pings), prints {@code READY <n>} when they are all upgraded, and holds them, so that
 * the server's memory per idle connection can be read from outside.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Open N idle WebSockets, print READY <n>, hold them for --hold, then close.")
public final class IdleCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/rpc", description = "WebSocket URL. Default: ${DEFAULT-VALUE}")
    URI url;

    @Option(names = {"-c", "--connections"}, defaultValue = "10000", description = "Connections. Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = "--hold", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to hold them after READY. Default: ${DEFAULT-VALUE}")
    Duration hold;

    @Option(names = "--bind", split = ",", description = "Local addresses to connect from, in turn (127.0.0.1,127.0.0.2,...).")
    List<String> bind = new ArrayList<>();

    @Option(names = "--threads", defaultValue = "1", description = "Event-loop threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        AtomicInteger upgraded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger closedEarly = new AtomicInteger();
        CountDownLatch settled = new CountDownLatch(connections);
        Semaphore opening = new Semaphore(200);
        List<Channel> channels = new ArrayList<>();
        long start = System.nanoTime();
        try (WsClient client = new WsClient(url, threads, bind)) {
            for (int i = 0; i < connections; i++) {
                opening.acquire();
                boolean[] done = {false};
                Runnable settle = () -> {
                    if (!done[0]) {
                        done[0] = true;
                        opening.release();
                        settled.countDown();
                    }
                };
                ChannelFuture f = client.connect(() -> new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                            upgraded.incrementAndGet();
                            settle.run();
                        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                            failed.incrementAndGet();
                            settle.run();
                        }
                        ctx.fireUserEventTriggered(evt);
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        if (!done[0]) {
                            failed.incrementAndGet();
                            settle.run();
                        } else {
                            closedEarly.incrementAndGet();
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
                f.addListener(r -> {
                    if (!r.isSuccess()) {
                        f.channel().eventLoop().execute(() -> {
                            if (!done[0]) {
                                failed.incrementAndGet();
                                settle.run();
                            }
                        });
                    }
                });
                channels.add(f.channel());
            }
            settled.await(120, TimeUnit.SECONDS);
            System.out.printf("READY %d (failed %d) in %.1f s%n", upgraded.get(), failed.get(),
                    (System.nanoTime() - start) / 1e9);
            System.out.flush();
            Thread.sleep(hold.toMillis());
            System.out.printf("closing %d (closed by the server meanwhile: %d)%n", upgraded.get(), closedEarly.get());
            channels.forEach(Channel::close);
        }
        return failed.get() == 0 ? 0 : 1;
    }
}
