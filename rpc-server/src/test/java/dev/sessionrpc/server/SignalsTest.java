package dev.sessionrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop request always ends the process: with 0 after a clean drain, with 1 when the drain hangs. */
class SignalsTest {

    private final BlockingQueue<Integer> halted = new LinkedBlockingQueue<>();

    @Test
    void aShutdownThatFinishesEndsTheProcessWithZero() throws Exception {
        Runnable hook = Signals.shutdownHook(() -> { }, Duration.ofSeconds(30), halted::add);
        hook.run();
        assertThat(halted.poll(5, TimeUnit.SECONDS)).isZero();
        assertThat(halted.poll(100, TimeUnit.MILLISECONDS)).as("the watchdog stays quiet").isNull();
    }

    @Test
    void aShutdownThatHangsIsCutShortByTheWatchdogWithOne() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Runnable hook = Signals.shutdownHook(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Duration.ofMillis(200), halted::add);
        Thread stopping = new Thread(hook, "test-shutdown");
        stopping.setDaemon(true);
        stopping.start();
        assertThat(halted.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
        never.countDown();
    }
}
