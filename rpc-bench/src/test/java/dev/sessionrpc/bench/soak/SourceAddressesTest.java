package dev.sessionrpc.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceAddressesTest {

    @Test
    void socketsTakeTheAddressesFrom127_0_0_2InTurnAndKeepTheirsOnReconnect() {
        SourceAddresses a = new SourceAddresses(64);
        assertThat(a.all()).hasSize(64).startsWith("127.0.0.2", "127.0.0.3").endsWith("127.0.0.65");
        assertThat(a.forSlot(0)).isEqualTo("127.0.0.2");
        assertThat(a.forSlot(63)).isEqualTo("127.0.0.65");
        assertThat(a.forSlot(64)).isEqualTo("127.0.0.2");
        assertThat(a.forSlot(9999)).isEqualTo(a.forSlot(9999)).isEqualTo("127.0.0.17");
    }

    @Test
    void tenThousandSocketsOver64AddressesPutAtMost157OnAny() {
        SourceAddresses a = new SourceAddresses(64);
        Map<String, Integer> perAddress = new HashMap<>();
        for (int slot = 0; slot < 10_000; slot++) {
            perAddress.merge(a.forSlot(slot), 1, Integer::sum);
        }
        assertThat(perAddress).hasSize(64);
        assertThat(perAddress.values()).allSatisfy(n -> assertThat(n).isBetween(156, 157));
        assertThat(a.mostPerAddress(10_000)).isEqualTo(157).isLessThan(256);
    }

    @Test
    void manyAddressesCarryIntoTheNextOctet() {
        SourceAddresses a = new SourceAddresses(300);
        assertThat(a.all().get(253)).isEqualTo("127.0.0.255");
        assertThat(a.all().get(254)).isEqualTo("127.0.1.0");
        assertThat(a.all()).doesNotHaveDuplicates().doesNotContain("127.0.0.1");
    }

    @Test
    void zeroAddressesAreRefused() {
        assertThatThrownBy(() -> new SourceAddresses(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
