package dev.sessionrpc.client.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Opens client WebSockets to one {@code ws://} or {@code wss://} address. For {@code wss} the
 * server's certificate is checked against the JDK trust store and its host name, unless the
 * caller hands in its own {@link SslContext}. The event loops belong to the caller.
 */
public final class WebSocketConnector {

    private static final int MAX_HANDSHAKE_RESPONSE_BYTES = 64 * 1024;

    private final URI uri;
    private final String host;
    private final int port;
    private final EventLoopGroup group;
    private final WebSocketOptions options;
    private final SslContext sslContext;

    public WebSocketConnector(URI uri, EventLoopGroup group, WebSocketOptions options) {
        this(uri, group, options, null);
    }

    /**
     * @param sslContext the TLS settings for {@code wss://}; null means the JDK trust store
     * @throws IllegalArgumentException for an address that is not {@code ws://} or {@code wss://}
     */
    public WebSocketConnector(URI uri, EventLoopGroup group, WebSocketOptions options, SslContext sslContext) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.group = Objects.requireNonNull(group, "group");
        this.options = Objects.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "ws" -> false;
            case "wss" -> true;
            default -> throw new IllegalArgumentException("a WebSocket address starts with ws:// or wss://, not " + uri);
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the address has no host: " + uri);
        }
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
        this.sslContext = tls ? (sslContext != null ? sslContext : defaultSslContext()) : null;
    }

    private static SslContext defaultSslContext() {
        return TrustedCertificates.forWebSocket(null);
    }

    public URI uri() {
        return uri;
    }

    /**
     * Connects and upgrades. The future completes with the open connection, or fails when the
     * TCP connection, TLS or the upgrade fails or takes too long.
     */
    public CompletableFuture<WebSocketConnection> connect(WebSocketListener listener) {
        CompletableFuture<WebSocketConnection> opened = new CompletableFuture<>();
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .customHeaders(new DefaultHttpHeaders())
                // a desktop client is no web page: Netty would send an Origin, which servers that
                // check origins (as ours does, by default allowing none) refuse with 403
                .generateOriginHeader(false)
                .maxFramePayloadLength(options.maxMessageBytes())
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(options.handshakeTimeout().toMillis())
                .build();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_CLOSE, !options.readAfterWriteFailure())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (sslContext != null) {
                            p.addLast("tls", tlsHandler(ch.alloc()));
                        }
                        if (options.pings()) {
                            // next to the socket, so that every byte in or out counts, pongs included
                            long interval = options.pingInterval().toMillis();
                            p.addLast("idle", new IdleStateHandler(3 * interval, interval, 0, TimeUnit.MILLISECONDS));
                        }
                        p.addLast("http-codec", new HttpClientCodec());
                        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_BYTES));
                        p.addLast("ws-protocol", new WebSocketClientProtocolHandler(config));
                        p.addLast("ws-aggregator", new WebSocketFrameAggregator(options.maxMessageBytes()));
                        if (options.pings()) {
                            p.addLast("keep-alive", new KeepAliveHandler());
                        }
                        p.addLast("ws-client", new WebSocketClientHandler(uri, listener, opened));
                    }
                });
        bootstrap.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    /** Whether connections use TLS ({@code wss://}). */
    public boolean usesTls() {
        return sslContext != null;
    }

    /** The TLS handler of a new connection: host name sent for SNI and checked against the certificate. */
    SslHandler tlsHandler(ByteBufAllocator alloc) {
        SslHandler handler = sslContext.newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return handler;
    }
}
