package dev.sessionrpc.server.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Keeps a paused connection paused. Netty's decoders and protocol handlers call {@code read()}
 * on their own while autoRead is off (a partial frame, an answered ping, a dropped pong), which
 * let a client that never reads its replies keep the server reading and buffering. This handler
 * sits first in the pipeline, where every such call passes, and lets a read through only while
 * autoRead is on: autoRead off means the connection is over a limit, and nothing but lifting
 * that limit may read it again (setting autoRead back on issues the read itself).
 */
@ChannelHandler.Sharable
public final class ReadGate extends ChannelOutboundHandlerAdapter {

    public static final ReadGate INSTANCE = new ReadGate();

    private ReadGate() {
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }
}
