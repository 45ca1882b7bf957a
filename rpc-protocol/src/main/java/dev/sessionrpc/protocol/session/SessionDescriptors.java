package dev.sessionrpc.protocol.session;

import dev.sessionrpc.protocol.JsonMarshallers;
import dev.sessionrpc.protocol.MethodDescriptor;
import java.util.List;

/**
 * The built-in methods as server and client both know them: {@code session.create},
 * {@code session.get} and {@code help.get_server_information}, each with the marshallers that
 * read its params straight from the request's bytes (judging them in PROTOCOL.md's order) and
 * write its result straight into the reply.
 */
public final class SessionDescriptors {

    /** {@code session.create}'s params in positional order. */
    public static final List<String> CREATE_PARAMS = CreateSessionParamsMarshaller.ORDER;
    /** {@code session.get}'s params in positional order. */
    public static final List<String> GET_PARAMS = SessionIdentificationParamsMarshaller.ORDER;

    public static final MethodDescriptor<CreateSessionParams, SessionEstablished> CREATE = new MethodDescriptor<>(
            "session.create", new CreateSessionParamsMarshaller(), new SessionEstablishedMarshaller());

    public static final MethodDescriptor<SessionIdentification, Session> GET = new MethodDescriptor<>(
            "session.get", new SessionIdentificationParamsMarshaller(), new SessionMarshaller());

    public static final MethodDescriptor<Void, ServerInformation> SERVER_INFORMATION = new MethodDescriptor<>(
            "help.get_server_information", JsonMarshallers.NO_PARAMS, new ServerInformationMarshaller());

    private SessionDescriptors() {
    }
}
