package io.syncedfolder.server.index;

/**
 * Hears that a {@link FileIndex}'s sequence number advanced: the signal long polls on the change feed wait for.
 *
 * <p>A call means "the sequence is now at least {@code sequence}", nothing more: a listener re-reads the index
 * for what changed. Implementations backed by a shared database may merge or (after a reconnection) miss
 * calls, so a listener must not count them.
 */
@FunctionalInterface
public interface SequenceListener {

    /**
     * Called after a commit was accepted, once it is durable and visible to {@link FileIndex#sequence()} and
     * {@link FileIndex#changesSince}; never before. Runs on the committing thread or on the index's
     * notification thread, so it must return quickly and must not block or throw.
     *
     * @param sequence the index's sequence number after the commit
     */
    void sequenceAdvanced(long sequence);
}
