package dev.sessionrpc.server.session;

import dev.sessionrpc.server.address.AddressGroups;
import java.util.concurrent.CompletionStage;

/**
 * Limits how many sessions one client address group may create lately (seed 001's
 * SESSION_CREATE_TIMEOUT). Asynchronous because the count may live elsewhere: the in-memory
 * sliding window counts per process, a shared one (Redis) counts for every node, and
 * {@link SessionService} works the same with either.
 */
public interface CreateThrottle {

    /**
     * Counts a create for this group if its limit allows one now.
     *
     * @return a stage of 0 when allowed, otherwise of the whole seconds to wait until a create
     *     would be allowed (at least 1)
     */
    CompletionStage<Long> acquire(AddressGroups.Group group);
}
