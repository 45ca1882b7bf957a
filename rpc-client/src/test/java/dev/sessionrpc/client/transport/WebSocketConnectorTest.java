package dev.sessionrpc.client.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebSocketConnectorTest {

    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Test
    void wssChecksTheCertificatesHostNameAndSendsItForSni() {
        WebSocketConnector connector = new WebSocketConnector(URI.create("wss://rpc.example.org/rpc"), group, WebSocketOptions.DEFAULTS);
        SslHandler tls = connector.tlsHandler(ByteBufAllocator.DEFAULT);
        try {
            SSLEngine engine = tls.engine();
            assertThat(engine.getUseClientMode()).isTrue();
            assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(engine.getPeerHost()).isEqualTo("rpc.example.org");
            assertThat(engine.getPeerPort()).isEqualTo(443);
        } finally {
            tls.engine().closeOutbound();
        }
    }

    @Test
    void wsHasNoTls() {
        WebSocketConnector connector = new WebSocketConnector(URI.create("ws://localhost:8080/rpc"), group, WebSocketOptions.DEFAULTS);
        assertThat(connector.usesTls()).isFalse();
    }

    @Test
    void addressesThatAreNotWebSocketsAreRefused() {
        assertThatThrownBy(() -> new WebSocketConnector(URI.create("http://localhost:8080/rpc"), group, WebSocketOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws://");
    }
}
