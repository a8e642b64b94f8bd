package io.syncedfolder.server.service;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/** What became of a valid commit: applied, refused as stale, or refused for blobs the server lacks. */
public sealed interface CommitResult {

    /**
     * Every change was applied.
     *
     * @param entries the new entries in request order
     * @param cursor  the index's sequence number after them
     */
    record Accepted(List<FileEntry> entries, long cursor) implements CommitResult {
        public Accepted {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Nothing was applied: these paths changed since the client's base version.
     *
     * @param current the current entries of the stale paths that exist
     */
    record Stale(List<String> paths, List<FileEntry> current) implements CommitResult {
        public Stale {
            paths = List.copyOf(paths);
            current = List.copyOf(current);
        }
    }

    /** Nothing was applied: the commit refers to chunks that were never uploaded. */
    record MissingBlobs(List<String> hashes) implements CommitResult {
        public MissingBlobs {
            hashes = List.copyOf(hashes);
        }
    }
}
