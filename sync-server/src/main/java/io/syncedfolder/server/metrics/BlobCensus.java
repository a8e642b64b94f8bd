package io.syncedfolder.server.metrics;

import io.syncedfolder.server.blob.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts what the blob store holds, at most once per {@link #MAX_AGE}: counting lists every blob, too much work for
 * every scrape of a large store.
 */
public final class BlobCensus {
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    /** How many blobs, and how many bytes they hold. */
    public record Count(long blobs, long bytes) {
    }

    private final BlobStore store;
    private final Clock clock;
    private Count last;
    private Instant countedAt = Instant.MIN;

    public BlobCensus(BlobStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Returns the count, taken again if the last one is older than {@link #MAX_AGE}. */
    public synchronized Count count() {
        Instant now = clock.instant();
        if (last == null || countedAt.plus(MAX_AGE).isBefore(now)) {
            long[] totals = new long[2];
            try {
                store.list(blob -> {
                    totals[0]++;
                    totals[1] += blob.size();
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            last = new Count(totals[0], totals[1]);
            countedAt = now;
        }
        return last;
    }
}
