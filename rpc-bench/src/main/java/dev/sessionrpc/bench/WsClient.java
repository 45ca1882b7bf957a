package dev.sessionrpc.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * The generator's WebSocket client: plain Netty, masked frames as RFC 6455 asks of a client,
 * epoll when the platform has it. Connections can be spread over several local addresses
 * (127.0.0.1, 127.0.0.2, ...) when one address runs out of ports.
 */
public final class WsClient implements AutoCloseable {

    private static final int MAX_MESSAGE = 1024 * 1024;

    private final URI uri;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final List<String> localAddresses;
    private int nextLocal;

    public WsClient(URI uri, int threads, List<String> localAddresses) {
        this.uri = uri;
        this.localAddresses = localAddresses == null ? List.of() : List.copyOf(localAddresses);
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Opens one connection whose last handler is made by {@code handler}. */
    public ChannelFuture connect(Supplier<ChannelHandler> handler) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(MAX_MESSAGE)
                .handshakeTimeoutMillis(10_000)
                .generateOriginHeader(false) // no web page: the server refuses origins it does not list
                .dropPongFrames(true)
                .build();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(64 * 1024),
                        new WebSocketClientProtocolHandler(config),
                        new WebSocketFrameAggregator(MAX_MESSAGE),
                        handler.get());
            }
        });
        return connect(b);
    }

    /** Opens one connection whose only handler does the WebSocket protocol itself ({@link RawWebSocketHandler}). */
    public ChannelFuture connectRaw(ChannelHandler handler) {
        return connect(bootstrap.clone().handler(handler));
    }

    /**
     * Opens one raw connection on the given event loop from the given local address (null: any),
     * with a receive buffer of {@code receiveBufferBytes} when that is positive.
     */
    public ChannelFuture connectRaw(ChannelHandler handler, EventLoopGroup loop, String localAddress,
                                    int receiveBufferBytes) {
        Bootstrap b = bootstrap.clone(loop).handler(handler);
        if (receiveBufferBytes > 0) {
            b.option(ChannelOption.SO_RCVBUF, receiveBufferBytes);
        }
        InetSocketAddress remote = new InetSocketAddress(uri.getHost(), port(uri));
        return localAddress == null ? b.connect(remote) : b.connect(remote, new InetSocketAddress(localAddress, 0));
    }

    private ChannelFuture connect(Bootstrap b) {
        InetSocketAddress remote = new InetSocketAddress(uri.getHost(), port(uri));
        if (localAddresses.isEmpty()) {
            return b.connect(remote);
        }
        String local = localAddresses.get(nextLocal++ % localAddresses.size());
        return b.connect(remote, new InetSocketAddress(local, 0));
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
