package dev.sessionrpc.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessionrpc.server.RpcServer;
import dev.sessionrpc.server.ServerConfig;
import org.junit.jupiter.api.Test;

class SessionCapacityTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void withoutAConfiguredNumberTheCapacityIsFortyPercentOfTheHeapAtOneKibibytePerSession() {
        assertThat(SessionCapacity.resolve(0, 512 * MIB)).isEqualTo(209_715);
        assertThat(SessionCapacity.resolve(0, 4096 * MIB)).isEqualTo(1_677_721);
    }

    @Test
    void aConfiguredNumberThatFitsIsKept() {
        assertThat(SessionCapacity.resolve(209_715, 512 * MIB)).isEqualTo(209_715);
        assertThat(SessionCapacity.resolve(10, 512 * MIB)).isEqualTo(10);
    }

    @Test
    void aConfiguredNumberThatDoesNotFitIsRefusedInOneLineSayingWhatFits() {
        assertThatThrownBy(() -> SessionCapacity.resolve(1_000_000, 512 * MIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--max-sessions 1000000 does not fit in a 512 MiB heap; at most 209715 fit "
                        + "(raise -Xmx or lower --max-sessions)");
    }

    @Test
    void theServerRefusesToStartWithMoreSessionsThanItsHeapHolds() {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).maxSessions(Long.MAX_VALUE).build();
        assertThatThrownBy(() -> RpcServer.builder(config).start().close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--max-sessions " + Long.MAX_VALUE + " does not fit in a "
                        + Runtime.getRuntime().maxMemory() / MIB + " MiB heap; at most "
                        + SessionCapacity.fitting(Runtime.getRuntime().maxMemory()) + " fit");
    }
}
