package io.syncedfolder.server.service;

import java.io.IOException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps blob deletion and commits apart across every namespace: commits of any user pass through together between
 * their "every chunk is stored" check and their index; the {@link BlobCollector} deletes only while none is there.
 * One gate serves all namespaces because they share one blob store.
 */
public final class CommitGate {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Does the work of a gate's holder. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    /** Runs a commit's check-and-record stretch; many may run at once. */
    <T> T commit(Work<T> work) throws IOException {
        lock.readLock().lock();
        try {
            return work.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs {@code work} while no commit is between its blob check and its index: commits already there finish
     * first, new ones wait until {@code work} returns.
     */
    <T> T withCommitsHeld(Work<T> work) throws IOException {
        lock.writeLock().lock();
        try {
            return work.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
