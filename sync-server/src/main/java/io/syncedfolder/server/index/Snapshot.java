package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/**
 * The content of {@code snapshot.json}: the index as of {@code sequence}.
 *
 * @param sequence the version of the latest change the snapshot includes
 * @param entries  the current entry of every path, in version order
 */
record Snapshot(long sequence, List<FileEntry> entries) {
    static final Snapshot EMPTY = new Snapshot(0, List.of());

    Snapshot {
        entries = List.copyOf(entries);
    }
}
