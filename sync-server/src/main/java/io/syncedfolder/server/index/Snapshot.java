package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/**
 * The content of {@code snapshot.json}: the index as of {@code sequence}.
 *
 * @param sequence the version of the latest change the snapshot includes
 * @param entries  the current entry of every path, in version order
 * @param history  the earlier versions kept at the time, in version order; absent in snapshots written before
 *                 the server kept history, which then load with none
 */
record Snapshot(long sequence, List<FileEntry> entries, List<PastEntry> history) {
    static final Snapshot EMPTY = new Snapshot(0, List.of(), List.of());

    Snapshot {
        entries = List.copyOf(entries);
        history = history == null ? List.of() : List.copyOf(history);
    }
}
