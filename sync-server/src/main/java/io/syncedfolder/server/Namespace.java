package io.syncedfolder.server;

import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.JournalLimits;
import io.syncedfolder.server.index.JsonFileIndex;
import io.syncedfolder.server.index.RetentionPolicy;
import io.syncedfolder.server.service.ChunkOwnership;
import io.syncedfolder.server.service.CommitGate;
import io.syncedfolder.server.service.CommitService;
import io.syncedfolder.server.service.HistoryService;
import io.syncedfolder.server.service.PackService;
import io.syncedfolder.server.web.FileDownloads;
import io.syncedfolder.server.web.FolderLister;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One user's world: an index with its change feed and history, the chunks the user owns, and the services that
 * read and change them. Only the blob store (and the {@link CommitGate} that guards it) is shared between
 * namespaces; everything a request of one user can reach goes through that user's namespace.
 */
final class Namespace implements AutoCloseable {
    private final String id;
    private final FileIndex index;
    private final ChunkOwnership ownership;
    private final CommitService commits;
    private final HistoryService history;
    private final PackService packs;
    private final FolderLister folders;
    private final FileDownloads downloads;

    private Namespace(String id, FileIndex index, ChunkOwnership ownership, BlobStore blobs, Clock clock,
                      CommitGate gate) {
        this.id = id;
        this.index = index;
        this.ownership = ownership;
        this.commits = new CommitService(index, blobs, ownership, clock, gate);
        this.history = new HistoryService(index, commits, clock);
        this.packs = new PackService(blobs, ownership);
        this.folders = new FolderLister(index);
        this.downloads = new FileDownloads(index, blobs, history);
    }

    /** Opens the namespace in {@code dir}: its index, then which chunks it owns. */
    static Namespace open(String id, Path dir, BlobStore blobs, RetentionPolicy retention, Clock clock,
                          CommitGate gate) throws IOException {
        FileIndex index = JsonFileIndex.open(dir, JournalLimits.DEFAULT, retention);
        try {
            ChunkOwnership ownership = ChunkOwnership.open(dir, index.chunksCommittedAfter(0), blobs);
            return new Namespace(id, index, ownership, blobs, clock, gate);
        } catch (IOException | RuntimeException e) {
            try {
                index.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    String id() {
        return id;
    }

    FileIndex index() {
        return index;
    }

    ChunkOwnership ownership() {
        return ownership;
    }

    CommitService commits() {
        return commits;
    }

    HistoryService history() {
        return history;
    }

    PackService packs() {
        return packs;
    }

    FolderLister folders() {
        return folders;
    }

    FileDownloads downloads() {
        return downloads;
    }

    /** Closes the index (after a commit in progress is written) and the ownership record. */
    @Override
    public void close() throws IOException {
        try {
            index.close();
        } finally {
            ownership.close();
        }
    }
}
