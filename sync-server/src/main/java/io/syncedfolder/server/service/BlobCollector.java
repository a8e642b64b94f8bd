package io.syncedfolder.server.service;

import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.ReferenceMark;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the blobs no kept version of any namespace refers to: drops the versions the retention policies no longer
 * keep, marks the chunks of everything left in every namespace, and deletes every other blob last uploaded more than
 * the grace period ago.
 *
 * <p>Why nothing referenced is lost:
 * <ul>
 *   <li>The mark covers every current entry and every earlier version not dropped yet, and the index writes a
 *       snapshot before marking if versions were dropped, so no dropped version can come back after a restart.</li>
 *   <li>Blobs are deleted in small groups inside {@link CommitGate#withCommitsHeld}: no commit is between its
 *       "every chunk is stored" check and the index meanwhile, and right before deleting, the chunks of every
 *       version committed since the mark (restores included) are looked up again, and each blob's modification
 *       time is read again. A commit checked after the group sees the blob missing (422) and the client uploads
 *       it again.</li>
 *   <li>A blob uploaded for a commit that has not arrived yet is younger than the grace period (storing content
 *       already there refreshes its time too), so it stays.</li>
 *   <li>Each delete is one unlink of a blob nothing refers to, or, for a blob in a bundle, forgetting it in memory
 *       (the bundle goes once none of its blobs is left), so a crash in the middle leaves only blobs that a later
 *       run deletes; nothing is written that a crash could tear.</li>
 *   <li>Bundles more than half deleted are then compacted: their live blobs are stored again in a new bundle, each
 *       checked against its hash, before the old bundle goes.</li>
 * </ul>
 */
public final class BlobCollector {
    private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);
    /** Deletes per hold of the commit lock: short enough that commits barely notice. */
    private static final int GROUP = 256;

    /** What one collection did. */
    public record Result(long blobsKept, long blobsDeleted, long bytesFreed, long versionsDropped) {
    }

    /** What every collection since start did together. */
    public record Totals(long runs, long blobsDeleted, long bytesFreed, long versionsDropped) {
    }

    private final Supplier<List<FileIndex>> indexes;
    private final BlobStore blobs;
    private final CommitGate gate;
    private final Clock clock;
    private final Duration grace;
    private final LongAdder runs = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder freed = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /**
     * @param indexes the index of every namespace, read at each collection (namespaces may be added meanwhile)
     * @param gate    the gate every namespace's commits pass through
     * @param grace   how long after its last upload an unreferenced blob is kept, for the commit that will use it
     */
    public BlobCollector(Supplier<List<FileIndex>> indexes, BlobStore blobs, CommitGate gate, Clock clock,
                         Duration grace) {
        this.indexes = Objects.requireNonNull(indexes, "indexes");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grace = Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative: " + grace);
        }
    }

    /** Runs one collection now; one at a time. */
    public synchronized Result collect() throws IOException {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Instant cutoff = now.minus(grace);
        int versionsDropped = 0;
        Map<FileIndex, Long> marked = new IdentityHashMap<>();
        Set<String> referenced = new HashSet<>();
        for (FileIndex index : indexes.get()) {
            versionsDropped += index.sweep(now.toEpochMilli());
            ReferenceMark mark = index.markReferenced();
            marked.put(index, mark.sequence());
            referenced.addAll(mark.hashes());
        }
        List<String> candidates = new ArrayList<>();
        long[] kept = {0};
        blobs.list(blob -> {
            if (referenced.contains(blob.sha256()) || !blob.modified().isBefore(cutoff)) {
                kept[0]++;
            } else {
                candidates.add(blob.sha256());
            }
        });
        long blobsDeleted = 0;
        long bytesFreed = 0;
        for (int from = 0; from < candidates.size(); from += GROUP) {
            List<String> group = candidates.subList(from, Math.min(candidates.size(), from + GROUP));
            Deleted done = gate.withCommitsHeld(() -> deleteUnreferenced(group, marked, cutoff));
            blobsDeleted += done.blobs();
            bytesFreed += done.bytes();
            kept[0] += group.size() - done.blobs();
        }
        int moved = 0;
        try {
            moved = blobs.compactBundles();
        } catch (IOException e) {
            LOG.warn("compacting bundles failed; the next collection tries again: {}", e.toString());
        }
        runs.increment();
        deleted.add(blobsDeleted);
        freed.add(bytesFreed);
        dropped.add(versionsDropped);
        LOG.info("collected garbage: {} blobs kept, {} deleted, {} bytes freed, {} earlier versions dropped, {} blobs"
                + " moved out of mostly deleted bundles ({} ms)", kept[0], blobsDeleted, bytesFreed, versionsDropped,
                moved, (System.nanoTime() - started) / 1_000_000);
        return new Result(kept[0], blobsDeleted, bytesFreed, versionsDropped);
    }

    private record Deleted(long blobs, long bytes) {
    }

    /** Deletes the blobs of {@code group} still unreferenced and old; commits are held meanwhile. */
    private Deleted deleteUnreferenced(List<String> group, Map<FileIndex, Long> marked, Instant cutoff)
            throws IOException {
        // Everything an index can refer to now is in its mark or was committed after it; a namespace opened since
        // the mark was empty then.
        Set<String> late = new HashSet<>();
        for (FileIndex index : indexes.get()) {
            late.addAll(index.chunksCommittedAfter(marked.getOrDefault(index, 0L)));
        }
        long count = 0;
        long bytes = 0;
        for (String hash : group) {
            if (late.contains(hash)) {
                continue;
            }
            OptionalLong size = blobs.deleteIfModifiedBefore(hash, cutoff);
            if (size.isPresent()) {
                count++;
                bytes += size.getAsLong();
            }
        }
        return new Deleted(count, bytes);
    }

    /** Returns what every collection since start did. */
    public Totals totals() {
        return new Totals(runs.sum(), deleted.sum(), freed.sum(), dropped.sum());
    }
}
