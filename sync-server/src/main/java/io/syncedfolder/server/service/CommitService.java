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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a client's commit: validates it, makes sure every chunk it refers to is stored and durable, then hands
 * it to the index, which accepts all of it or none.
 *
 * <p>A chunk counts as stored only if this namespace owns it ({@link ChunkOwnership}): a commit may not refer to
 * content another user uploaded until this user has uploaded it too.
 *
 * <p>From the check that every chunk is stored until the index has recorded the commit, no blob is deleted: the
 * {@link BlobCollector} deletes only inside {@link CommitGate#withCommitsHeld}, which waits for commits in that
 * stretch and keeps new ones out of it. So a commit never ends up referring to a chunk deleted after it was
 * checked.
 */
public final class CommitService {
    private static final Logger LOG = LoggerFactory.getLogger(CommitService.class);

    private final FileIndex index;
    private final BlobStore blobs;
    private final ChunkOwnership ownership;
    private final Clock clock;
    private final CommitGate gate;

    /**
     * @param ownership the chunks this namespace may refer to
     * @param gate      shared by the commit services of every namespace and the collector
     */
    public CommitService(FileIndex index, BlobStore blobs, ChunkOwnership ownership, Clock clock, CommitGate gate) {
        this.index = Objects.requireNonNull(index, "index");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.ownership = Objects.requireNonNull(ownership, "ownership");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.gate = Objects.requireNonNull(gate, "gate");
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
        CommitOutcome outcome = gate.commit(() -> checkAndCommit(request, hashes));
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

    /** Checks that every chunk is stored and, if so, hands the commit to the index; runs inside the gate. */
    private CommitOutcome checkAndCommit(CommitRequest request, List<String> hashes) throws IOException {
        List<String> missing = ownership.missing(hashes);
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
