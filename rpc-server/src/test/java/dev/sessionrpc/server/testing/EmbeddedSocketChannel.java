package dev.sessionrpc.server.testing;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DefaultSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * An {@link EmbeddedChannel} that is also a {@link SocketChannel} with TCP addresses, so that the
 * real {@code RpcServerInitializer} (a {@code ChannelInitializer<SocketChannel>}) can assemble its
 * pipeline on it and the handlers that read the peer's address find an {@link InetSocketAddress}.
 * Like a real socket it accepts only bytes for writing. The socket config is never applied to a
 * socket; shutdown means close.
 */
public final class EmbeddedSocketChannel extends EmbeddedChannel implements SocketChannel {

    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);

    private SocketChannelConfig socketConfig; // created on first use: the super constructor already asks for it

    public EmbeddedSocketChannel(ChannelHandler... handlers) {
        super(null, DefaultChannelId.newInstance(), false, false);
        pipeline().addLast(handlers);
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException("could not register the embedded channel", e);
        }
    }

    @Override
    public SocketChannelConfig config() {
        if (socketConfig == null) {
            socketConfig = new DefaultSocketChannelConfig(this, new Socket()) {
                @Override
                public SocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
                    return this; // would open a real socket descriptor for nothing
                }
            };
        }
        return socketConfig;
    }

    /** As a real socket channel: only bytes (and file regions) can be written; anything else fails the write. */
    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof io.netty.buffer.ByteBuf || msg instanceof io.netty.channel.FileRegion) {
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getSimpleName());
    }

    @Override
    public ServerSocketChannel parent() {
        return null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return isActive() ? LOCAL : null;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return isActive() ? REMOTE : null;
    }

    @Override
    protected java.net.SocketAddress localAddress0() {
        return localAddress();
    }

    @Override
    protected java.net.SocketAddress remoteAddress0() {
        return remoteAddress();
    }

    @Override
    public boolean isInputShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isOutputShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return close();
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        return close(promise);
    }

    @Override
    public boolean isShutdown() {
        return !isActive();
    }

    @Override
    public ChannelFuture shutdown() {
        return close();
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return close(promise);
    }
}
