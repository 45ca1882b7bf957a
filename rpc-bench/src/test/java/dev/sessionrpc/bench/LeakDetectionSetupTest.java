package dev.sessionrpc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessionrpc.server.testing.NettyLeakDetectionExtension;
import io.netty.util.ResourceLeakDetector;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;

/** The bench's own tests (echo server, load generator) touch Netty buffers as rpc-server's do. */
class LeakDetectionSetupTest {

    @Test
    void theTestsRunUnderParanoidLeakDetection() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void rpcServersLeakExtensionIsRegisteredForAutodetection() {
        assertThat(ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::type))
                .contains(NettyLeakDetectionExtension.class);
        assertThat(getClass().getResourceAsStream("/junit-platform.properties")).isNotNull();
    }
}
