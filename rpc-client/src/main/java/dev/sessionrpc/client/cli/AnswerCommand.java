package dev.sessionrpc.client.cli;

import dev.sessionrpc.protocol.session.Challenge;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the answer to a session's challenge, so that someone driving the protocol by hand
 * ({@code wscat}, {@code curl}) can script {@code session.get}. With the session id and public
 * hash it prints the whole {@code session_identification} object.
 */
@Command(name = "answer", mixinStandardHelpOptions = true,
        description = "Print the challenge answer for now (or --at a Unix time): hex SHA-1 of TOTP(challenge) + private hash.")
final class AnswerCommand implements Callable<Integer> {

    private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]+=*");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--challenge", required = true, description = "The challenge session.create returned (Base32).")
    String challenge;

    @Option(names = "--private-hash", required = true, description = "The private hash the session was created with.")
    String privateHash;

    @Option(names = "--at", description = "Unix time in seconds to answer for; default now.")
    Long at;

    @Option(names = "--session-id", description = "With --public-hash: print the whole session_identification JSON object.")
    String sessionId;

    @Option(names = "--public-hash", description = "With --session-id: the public hash the session was created with.")
    String publicHash;

    @Override
    public Integer call() {
        if (!BASE32.matcher(challenge).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--challenge must be Base32 (A-Z, 2-7)");
        }
        if ((sessionId == null) != (publicHash == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --session-id and --public-hash together");
        }
        long time = at != null ? at : Clock.systemUTC().instant().getEpochSecond();
        String answer = new Challenge(challenge, privateHash).answerAt(time);
        if (sessionId == null) {
            spec.commandLine().getOut().println(answer);
        } else {
            spec.commandLine().getOut().println("{\"session_id\":" + CallCommand.quote(sessionId)
                    + ",\"client_public_hash\":" + CallCommand.quote(publicHash)
                    + ",\"challenge_answer\":\"" + answer + "\"}");
        }
        return 0;
    }
}
