package dev.sessionrpc.server.session;

import dev.sessionrpc.protocol.session.CreateSessionParams;
import dev.sessionrpc.protocol.session.Session;
import dev.sessionrpc.protocol.session.SessionDescriptors;
import dev.sessionrpc.protocol.session.SessionEstablished;
import dev.sessionrpc.protocol.session.SessionIdentification;
import dev.sessionrpc.server.dispatch.RequestContext;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * The server's side of {@code session.create} and {@code session.get}: the params arrive read
 * and judged by {@link SessionDescriptors}' readers, so what is left is to hand them, in the
 * service's own types, to the {@link SessionService}.
 */
public final class SessionMethods {

    private final SessionService service;

    public SessionMethods(SessionService service) {
        this.service = service;
    }

    /** {@code session.create(public_hash, private_hash, platform, name, version)}. */
    public CompletionStage<SessionEstablished> create(CreateSessionParams params, RequestContext context) {
        NewSession request = new NewSession(params.publicHash().toLowerCase(Locale.ROOT), params.privateHash(),
                params.client());
        return service.create(request, context.clientAddress());
    }

    /** {@code session.get(session_identification)}. */
    public CompletionStage<Session> get(SessionIdentification identification, RequestContext context) {
        return service.get(identification);
    }
}
