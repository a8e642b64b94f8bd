package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/**
 * What became of a commit: all of it applied, or nothing because it was stale or refers to blobs the server
 * lacks. The index itself answers only {@link Accepted} or {@link Stale}; the commit service checks blobs.
 */
public sealed interface CommitOutcome {

    /**
     * The batch was applied.
     *
     * @param entries the new entries in request order, each with its own version
     * @param cursor  the index's sequence number after the batch
     */
    record Accepted(List<FileEntry> entries, long cursor) implements CommitOutcome {
        public Accepted {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Nothing was applied because some base versions were not current.
     *
     * @param paths   the stale paths in request order
     * @param current the current entries of those paths (a path the index has never seen is absent)
     */
    record Stale(List<String> paths, List<FileEntry> current) implements CommitOutcome {
        public Stale {
            paths = List.copyOf(paths);
            current = List.copyOf(current);
        }
    }

    /**
     * Nothing was applied: the commit refers to chunks that were never uploaded.
     *
     * @param hashes the missing chunk hashes
     */
    record MissingBlobs(List<String> hashes) implements CommitOutcome {
        public MissingBlobs {
            hashes = List.copyOf(hashes);
        }
    }
}
