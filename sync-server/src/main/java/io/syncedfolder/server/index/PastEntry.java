package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import java.util.Objects;

/**
 * An earlier version of a path: the entry as it was, and when a later version replaced it.
 *
 * @param entry      the replaced entry, unchanged
 * @param replacedAt when the server accepted the replacing change, epoch milliseconds
 */
public record PastEntry(FileEntry entry, long replacedAt) {
    public PastEntry {
        Objects.requireNonNull(entry, "entry");
    }
}
