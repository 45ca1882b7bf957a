package dev.sessionrpc.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal RFC 6455 client straight on the byte stream, for the load generator only. Netty's
 * own WebSocket client pipeline (codec, UTF-8 validator, aggregator, protocol handler) cost the
 * generator about as much per message as the echo server spends, so on a two-core machine the
 * generator, not the server, set the ceiling. This does the same protocol work a client must
 * (upgrade with key check, a random mask on every frame, ping answered with pong,
 * fragments joined) with one copy each way and no per-frame objects.
 *
 * <p>Subclasses get {@link #onOpen} after the upgrade, {@link #onMessage} for each complete
 * text or binary message, and send with {@link #sendText}; flushing is theirs.
 */
public abstract class RawWebSocketHandler extends ChannelInboundHandlerAdapter {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final URI uri;
    private String key;
    private ByteBuf cumulation;
    private boolean open;
    private byte[] in = new byte[8192];
    private int fragmentLength = -1;
    protected ChannelHandlerContext ctx;

    protected RawWebSocketHandler(URI uri) {
        this.uri = uri;
    }

    /** Called on the event loop once the server accepted the upgrade. */
    protected abstract void onOpen();

    /** One complete message; {@code buf} is only valid during the call. */
    protected abstract void onMessage(byte[] buf, int offset, int length);

    /** The upgrade failed or the stream broke the protocol. */
    protected abstract void onFailure(Throwable cause);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        key = Base64.getEncoder().encodeToString(nonce);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        cumulation = cumulation == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, data);
        try {
            if (!open && !upgrade()) {
                return;
            }
            frames();
        } catch (RuntimeException e) {
            onFailure(e);
            ctx.close();
        } finally {
            if (cumulation != null) {
                if (!cumulation.isReadable()) {
                    cumulation.release();
                    cumulation = null;
                } else {
                    cumulation.discardSomeReadBytes();
                }
            }
        }
    }

    private boolean upgrade() {
        int end = -1;
        for (int i = cumulation.readerIndex(); i + 3 < cumulation.writerIndex(); i++) {
            if (cumulation.getByte(i) == '\r' && cumulation.getByte(i + 1) == '\n'
                    && cumulation.getByte(i + 2) == '\r' && cumulation.getByte(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            if (cumulation.readableBytes() > 16 * 1024) {
                throw new IllegalStateException("no end of the upgrade response in 16 KiB");
            }
            return false;
        }
        String head = cumulation.toString(cumulation.readerIndex(), end - cumulation.readerIndex(), StandardCharsets.ISO_8859_1);
        cumulation.readerIndex(end);
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("upgrade refused: " + lines[0]);
        }
        String expected = accept(key);
        boolean accepted = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                accepted = line.substring(colon + 1).trim().equals(expected);
            }
        }
        if (!accepted) {
            throw new IllegalStateException("upgrade response without the right Sec-WebSocket-Accept");
        }
        open = true;
        onOpen();
        return true;
    }

    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void frames() {
        ByteBuf b = cumulation;
        while (b != null && b.readableBytes() >= 2) {
            int r = b.readerIndex();
            int b0 = b.getUnsignedByte(r);
            int b1 = b.getUnsignedByte(r + 1);
            if ((b1 & 0x80) != 0) {
                throw new IllegalStateException("the server masked a frame");
            }
            if ((b0 & 0x70) != 0) {
                throw new IllegalStateException("reserved bits set without an extension");
            }
            long length = b1 & 0x7f;
            int header = 2;
            if (length == 126) {
                if (b.readableBytes() < 4) {
                    return;
                }
                length = b.getUnsignedShort(r + 2);
                header = 4;
            } else if (length == 127) {
                if (b.readableBytes() < 10) {
                    return;
                }
                length = b.getLong(r + 2);
                header = 10;
            }
            if (length > 16 * 1024 * 1024) {
                throw new IllegalStateException("frame of " + length + " bytes");
            }
            if (b.readableBytes() < header + length) {
                return;
            }
            int len = (int) length;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            int payload = r + header;
            b.readerIndex(payload + len);
            switch (opcode) {
                case 0x1, 0x2 -> {
                    if (fragmentLength >= 0) {
                        throw new IllegalStateException("new message inside a fragmented one");
                    }
                    ensureIn(len);
                    b.getBytes(payload, in, 0, len);
                    if (fin) {
                        onMessage(in, 0, len);
                    } else {
                        fragmentLength = len;
                    }
                }
                case 0x0 -> {
                    if (fragmentLength < 0) {
                        throw new IllegalStateException("continuation without a message");
                    }
                    ensureIn(fragmentLength + len);
                    b.getBytes(payload, in, fragmentLength, len);
                    fragmentLength += len;
                    if (fin) {
                        int total = fragmentLength;
                        fragmentLength = -1;
                        onMessage(in, 0, total);
                    }
                }
                case 0x8 -> {
                    sendFrame(0x88, new byte[0], 0, 0);
                    ctx.flush();
                    ctx.close();
                    return;
                }
                case 0x9 -> {
                    byte[] ping = new byte[len];
                    b.getBytes(payload, ping);
                    sendFrame(0x8A, ping, 0, len);
                    ctx.flush();
                }
                case 0xA -> {
                    // pong: nothing to do
                }
                default -> throw new IllegalStateException("unknown opcode " + opcode);
            }
            b = cumulation;
        }
    }

    private void ensureIn(int size) {
        if (in.length < size) {
            in = java.util.Arrays.copyOf(in, Math.max(size, in.length * 2));
        }
    }

    /**
     * Writes (does not flush) a text frame carrying {@code payload[offset, offset + length)}.
     * The bytes are masked in place: the array is the caller's scratch space and is changed.
     */
    protected void sendText(byte[] payload, int offset, int length) {
        sendFrame(0x81, payload, offset, length);
    }

    /** Writes (does not flush) a close frame with this status code, starting the closing handshake. */
    protected void sendClose(int statusCode) {
        byte[] payload = {(byte) (statusCode >>> 8), (byte) statusCode};
        sendFrame(0x88, payload, 0, payload.length);
    }

    /** Writes (does not flush) a ping frame with an empty payload. */
    protected void sendPing() {
        sendFrame(0x89, new byte[0], 0, 0);
    }

    private void sendFrame(int firstByte, byte[] payload, int offset, int length) {
        ByteBuf buf = ctx.alloc().ioBuffer(length + 14);
        buf.writeByte(firstByte);
        if (length < 126) {
            buf.writeByte(0x80 | length);
        } else if (length < 65536) {
            buf.writeByte(0x80 | 126);
            buf.writeShort(length);
        } else {
            buf.writeByte(0x80 | 127);
            buf.writeLong(length);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        buf.writeInt(mask);
        byte m0 = (byte) (mask >>> 24);
        byte m1 = (byte) (mask >>> 16);
        byte m2 = (byte) (mask >>> 8);
        byte m3 = (byte) mask;
        int end = offset + length;
        int i = offset;
        for (; i + 3 < end; i += 4) {
            payload[i] ^= m0;
            payload[i + 1] ^= m1;
            payload[i + 2] ^= m2;
            payload[i + 3] ^= m3;
        }
        for (int k = 0; i < end; i++, k++) {
            payload[i] ^= k == 0 ? m0 : k == 1 ? m1 : m2;
        }
        buf.writeBytes(payload, offset, length);
        ctx.write(buf, ctx.voidPromise());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        ctx.fireChannelInactive();
    }
}
