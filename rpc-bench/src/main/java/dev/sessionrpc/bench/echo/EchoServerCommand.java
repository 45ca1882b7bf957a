package dev.sessionrpc.bench.echo;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rpc-bench echo-server}: runs the echo ceiling until the process is stopped. */
@Command(name = "echo-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Raw Netty WebSocket echo at ws://HOST:PORT/rpc, the throughput ceiling for rpc-server.")
public final class EchoServerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "Port; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--io-threads", defaultValue = "1", description = "Event-loop threads. Default: ${DEFAULT-VALUE}")
    int ioThreads;

    @Override
    public Integer call() throws Exception {
        EchoServer server = new EchoServer(host, port, ioThreads);
        System.out.println("echo-server listening on ws://" + host + ":" + server.port() + "/rpc");
        System.out.flush();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            done.countDown();
        }));
        done.await();
        return 0;
    }
}
