package dev.sessionrpc.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Small helpers for scripts: a free loopback port, and waiting until a port accepts connections. */
public final class FreePortCommand {

    private FreePortCommand() {
    }

    @Command(name = "free-port", mixinStandardHelpOptions = true, description = "Print a free TCP port on 127.0.0.1.")
    public static final class Free implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                System.out.println(s.getLocalPort());
            }
            return 0;
        }
    }

    @Command(name = "wait-port", mixinStandardHelpOptions = true,
            description = "Wait until 127.0.0.1:PORT accepts a connection; exit 1 on timeout.")
    public static final class Wait implements Callable<Integer> {
        @Option(names = "--port", required = true)
        int port;

        @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class)
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                    return 0;
                } catch (java.io.IOException e) {
                    Thread.sleep(100);
                }
            }
            System.err.println("port " + port + " did not open within " + timeout.toSeconds() + " s");
            return 1;
        }
    }
}
