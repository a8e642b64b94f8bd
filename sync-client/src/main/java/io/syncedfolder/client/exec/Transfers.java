package io.syncedfolder.client.exec;

import io.syncedfolder.client.remote.ServerException;
import io.syncedfolder.client.remote.ServerUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * Runs transfers a few at a time, so several requests are in flight over the shared connection pool while
 * the caller's thread keeps all bookkeeping.
 *
 * <p>A transfer that fails because the server is gone or refuses the token stops the rest and is rethrown; any
 * other failure is handed back to the caller, one by one, after all transfers ended.
 */
final class Transfers {
    /** Requests in flight at once: enough to hide round trips on two cores without starving the hashing. */
    static final int PARALLEL = 4;

    /** One transfer of an item. */
    @FunctionalInterface
    interface Transfer<T> {
        void run(T item) throws IOException;
    }

    /** A transfer that failed for a reason that concerns only its item. */
    record Failure<T>(T item, IOException error) {
    }

    private Transfers() {
    }

    /**
     * Splits {@code items} into consecutive groups of at most {@code maxItems} and, unless one item alone weighs
     * more, at most {@code maxWeight} in all: the contents of packed requests (weighed in bytes) and of commits
     * (in chunk references).
     */
    static <T> List<List<T>> packs(List<T> items, ToLongFunction<T> weight, long maxWeight, int maxItems) {
        List<List<T>> packs = new ArrayList<>();
        List<T> current = new ArrayList<>();
        long total = 0;
        for (T item : items) {
            long itemWeight = weight.applyAsLong(item);
            if (!current.isEmpty() && (total + itemWeight > maxWeight || current.size() == maxItems)) {
                packs.add(current);
                current = new ArrayList<>();
                total = 0;
            }
            current.add(item);
            total += itemWeight;
        }
        if (!current.isEmpty()) {
            packs.add(current);
        }
        return packs;
    }

    /** Runs {@code transfer} on every item; returns the items whose transfer failed, with why. */
    static <T> List<Failure<T>> runAll(List<T> items, Transfer<T> transfer) throws IOException {
        if (items.size() <= 1) {
            return runHere(items, transfer);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, items.size()), task -> {
            Thread thread = new Thread(task, "transfer-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    transfer.run(item);
                    return null;
                }));
            }
            List<Failure<T>> failures = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    IOException error = asIOException(e.getCause());
                    if (isFatal(error)) {
                        throw error;
                    }
                    failures.add(new Failure<>(items.get(i), error));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while transferring");
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<Failure<T>> runHere(List<T> items, Transfer<T> transfer) throws IOException {
        List<Failure<T>> failures = new ArrayList<>();
        for (T item : items) {
            try {
                transfer.run(item);
            } catch (IOException e) {
                if (isFatal(e)) {
                    throw e;
                }
                failures.add(new Failure<>(item, e));
            }
        }
        return failures;
    }

    /** Returns whether {@code e} ends every transfer of the pass: the server is gone or refuses the token. */
    static boolean isFatal(IOException e) {
        return e instanceof ServerUnavailableException || e instanceof ServerException refused && refused.status() == 401;
    }

    private static IOException asIOException(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }
}
