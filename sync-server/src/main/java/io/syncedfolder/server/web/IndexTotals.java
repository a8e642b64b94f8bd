package io.syncedfolder.server.web;

import io.syncedfolder.common.FileEntry;
import io.syncedfolder.server.index.FileIndex;

/**
 * Counts what the index holds now.
 *
 * @param files   live files
 * @param folders live folders
 * @param bytes   the sizes of the live files added up (content shared between files counts once per file)
 * @param deleted tombstones: deleted paths the index still remembers
 */
public record IndexTotals(long files, long folders, long bytes, long deleted) {

    /** Returns the totals of {@code index}, counted over its current entries. */
    public static IndexTotals of(FileIndex index) {
        long files = 0;
        long folders = 0;
        long bytes = 0;
        long deleted = 0;
        for (FileEntry entry : index.currentEntries()) {
            if (entry.deleted()) {
                deleted++;
            } else if (entry.isLiveFile()) {
                files++;
                bytes += entry.size();
            } else {
                folders++;
            }
        }
        return new IndexTotals(files, folders, bytes, deleted);
    }
}
