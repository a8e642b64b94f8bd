package io.syncedfolder.server.service;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.index.CommitOutcome;
import io.syncedfolder.server.index.FileIndex;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a client's commit: validates it, makes sure every chunk it refers to is stored and durable, then hands
 * it to the index, which accepts all of it or none.
 *
 * <p>From the check that every chunk is stored until the index has recorded the commit, no blob is deleted: the
 * {@link BlobCollector} deletes only inside {@link #withCommitsHeld}, which waits for commits in that stretch and
 * keeps new ones out of it. So a commit never ends up referring to a chunk deleted after it was checked.
 */
public final class CommitService {
    private static final Logger LOG = LoggerFactory.getLogger(CommitService.class);

    private final FileIndex index;
    private final BlobStore blobs;
    private final Clock clock;
    /** Shared by commits between their blob check and the index; exclusive while blobs are deleted. */
    private final ReadWriteLock blobDeletion = new ReentrantReadWriteLock();

    public CommitService(FileIndex index, BlobStore blobs, Clock clock) {
        this.index = Objects.requireNonNull(index, "index");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Applies {@code request} all or nothing.
     *
     * @throws InvalidRequestException if the request breaks a protocol rule; nothing was applied
     * @throws IOException             if the blobs could not be made durable or the index could not record the
     *                                 commit; nothing was applied
     */
    public CommitOutcome commit(CommitRequest request) throws IOException {
        CommitValidator.validate(request);
        List<String> hashes = chunkHashes(request.changes());
        CommitOutcome outcome;
        blobDeletion.readLock().lock();
        try {
            outcome = checkAndCommit(request, hashes);
        } finally {
            blobDeletion.readLock().unlock();
        }
        if (outcome instanceof CommitOutcome.Accepted accepted) {
            List<FileEntry> entries = accepted.entries();
            LOG.info("accepted {} changes from {} as versions {}..{}", entries.size(), request.device(),
                    entries.get(0).version(), accepted.cursor());
        } else if (outcome instanceof CommitOutcome.Stale stale) {
            LOG.info("refused a commit of {} changes from {}: {} paths changed since the client saw them",
                    request.changes().size(), request.device(), stale.paths().size());
        }
        return outcome;
    }

    /** Checks that every chunk is stored and, if so, hands the commit to the index; needs the read lock. */
    private CommitOutcome checkAndCommit(CommitRequest request, List<String> hashes) throws IOException {
        List<String> missing = blobs.missing(hashes);
        if (!missing.isEmpty()) {
            LOG.info("refused a commit of {} changes from {}: {} chunks were never uploaded",
                    request.changes().size(), request.device(), missing.size());
            return new CommitOutcome.MissingBlobs(missing);
        }
        if (!hashes.isEmpty()) {
            // Uploads leave their renames unflushed; the journal must never refer to a blob a power loss could
            // take back, so every blob seen above is made durable before the index records the commit.
            blobs.makeDurable();
        }
        return index.commit(request.changes(), request.device(), clock.millis());
    }

    /** Does the work of a {@link #withCommitsHeld} call. */
    @FunctionalInterface
    interface HeldWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} while no commit is between its blob check and the index: commits already there finish
     * first, new ones wait until {@code work} returns.
     */
    <T> T withCommitsHeld(HeldWork<T> work) throws IOException {
        blobDeletion.writeLock().lock();
        try {
            return work.run();
        } finally {
            blobDeletion.writeLock().unlock();
        }
    }

    private static List<String> chunkHashes(List<Change> changes) {
        List<String> hashes = new ArrayList<>();
        for (Change change : changes) {
            if (!change.deleted()) {
                for (ChunkRef chunk : change.chunks()) {
                    hashes.add(chunk.sha256());
                }
            }
        }
        return hashes;
    }
}
