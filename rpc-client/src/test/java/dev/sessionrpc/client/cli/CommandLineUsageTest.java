package dev.sessionrpc.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandLineUsageTest {

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(RpcClientCommand.EXIT_USAGE);
        assertThat(run.err()).contains("call, answer or conformance");
    }

    @Test
    void aConformancePartThatDoesNotExistIsAUsageError() {
        CliRun run = CliRun.of("conformance", "--url", "ws://127.0.0.1:1/rpc", "--only", "jsonrpc,everything");
        assertThat(run.exitCode()).isEqualTo(RpcClientCommand.EXIT_USAGE);
        assertThat(run.err()).contains("no such part of the suite: everything");
    }

    @Test
    void conformanceWithoutAnAddressIsAUsageError() {
        CliRun run = CliRun.of("conformance");
        assertThat(run.exitCode()).isEqualTo(RpcClientCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--url");
    }

    @Test
    void callWithParamsThatAreNotJsonIsAUsageErrorNotATransportFailure() {
        CliRun run = CliRun.of("call", "--url", "ws://127.0.0.1:1/rpc", "some.method", "{not json");
        assertThat(run.exitCode()).isEqualTo(RpcClientCommand.EXIT_USAGE);
        assertThat(run.err()).contains("not valid JSON");
    }
}
