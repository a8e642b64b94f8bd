package io.syncedfolder.server.service;

import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.SequenceListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Parks long polls on the change feed until the index's sequence passes the version a client has seen, a
 * timeout passes, or the server stops; no thread waits for them.
 *
 * <p>Each waiter is a {@link CompletableFuture}. The index's {@link SequenceListener} signal completes the
 * waiters it concerns, and one timer thread completes those that time out; both hand the completion to the
 * {@code dispatch} executor, so whatever the caller chains on a future (writing an HTTP answer) never runs on
 * the committing thread or the timer. {@link #close()} completes every waiter on the calling thread, so their
 * answers are on their way before the caller stops serving. A completed, timed-out or cancelled waiter is
 * forgotten at once.
 */
public final class ChangeWaiters implements AutoCloseable {

    /** Why a waiter was completed. */
    public enum Wake {
        /** The sequence passed the waiter's version: there is something new. */
        CHANGED,
        /** The timeout passed first. */
        TIMED_OUT,
        /** The server is stopping. */
        CLOSED
    }

    private final FileIndex index;
    private final Executor dispatch;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final SequenceListener listener = this::sequenceAdvanced;
    private volatile boolean closed;

    /**
     * Starts listening to {@code index}.
     *
     * @param dispatch runs the completion of waiters woken by a commit or a timeout
     */
    public ChangeWaiters(FileIndex index, Executor dispatch) {
        this.index = Objects.requireNonNull(index, "index");
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sync-long-poll-timer");
            thread.setDaemon(true);
            return thread;
        });
        // A waiter woken by a commit cancels its timeout; without this the cancelled task would stay queued.
        timer.setRemoveOnCancelPolicy(true);
        index.addSequenceListener(listener);
    }

    /**
     * Returns a future completed once the index's sequence is greater than {@code since} (at once if it already
     * is), when {@code timeout} passes, or when this is closed, whichever comes first. Cancelling the future
     * forgets the waiter.
     */
    public CompletableFuture<Wake> await(long since, Duration timeout) {
        Waiter waiter = new Waiter(since);
        if (closed) {
            waiter.result.complete(Wake.CLOSED);
            return waiter.result;
        }
        waiters.add(waiter);
        waiter.result.whenComplete((wake, failure) -> {
            if (failure instanceof CancellationException) {
                forget(waiter);
            }
        });
        try {
            waiter.timeout = timer.schedule(() -> wake(waiter, Wake.TIMED_OUT, false), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The timer shut down: close() ran concurrently.
            wake(waiter, Wake.CLOSED, true);
            return waiter.result;
        }
        if (waiter.claimed.get()) {
            // Woken while the timeout was being scheduled: that wake could not cancel it yet.
            waiter.timeout.cancel(false);
        }
        // Both checks come after the add, so a commit or close() that ran before it is still seen here, and one
        // that runs after it sees the waiter.
        if (closed) {
            wake(waiter, Wake.CLOSED, true);
        } else if (index.sequence() > since) {
            wake(waiter, Wake.CHANGED, true);
        }
        return waiter.result;
    }

    /** Returns how many waiters are parked right now. */
    public int pending() {
        return waiters.size();
    }

    private void sequenceAdvanced(long sequence) {
        for (Waiter waiter : waiters) {
            if (sequence > waiter.since) {
                wake(waiter, Wake.CHANGED, false);
            }
        }
    }

    /** Completes {@code waiter} unless something else already did; only the first caller gets through. */
    private void wake(Waiter waiter, Wake wake, boolean inline) {
        if (!forget(waiter)) {
            return;
        }
        if (inline) {
            waiter.result.complete(wake);
            return;
        }
        try {
            dispatch.execute(() -> waiter.result.complete(wake));
        } catch (RejectedExecutionException e) {
            // The dispatcher is shutting down; answering on this thread beats never answering.
            waiter.result.complete(wake);
        }
    }

    /** Removes {@code waiter} and its timeout; returns false if that was already done. */
    private boolean forget(Waiter waiter) {
        if (!waiter.claimed.compareAndSet(false, true)) {
            return false;
        }
        waiters.remove(waiter);
        ScheduledFuture<?> timeout = waiter.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        return true;
    }

    /**
     * Stops listening, completes every parked waiter with {@link Wake#CLOSED} on this thread and stops the timer;
     * later waiters complete at once. Calling it again does nothing.
     */
    @Override
    public void close() {
        closed = true;
        index.removeSequenceListener(listener);
        for (Waiter waiter : waiters) {
            wake(waiter, Wake.CLOSED, true);
        }
        timer.shutdownNow();
    }

    /** One parked request. */
    private static final class Waiter {
        final long since;
        final CompletableFuture<Wake> result = new CompletableFuture<>();
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Waiter(long since) {
            this.since = since;
        }
    }
}
