package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One path's current entry and the earlier versions the retention policy keeps.
 *
 * @param current the current entry (a tombstone if the path is deleted)
 * @param earlier the kept earlier versions, newest first
 */
public record PathHistory(FileEntry current, List<PastEntry> earlier) {
    public PathHistory {
        Objects.requireNonNull(current, "current");
        earlier = List.copyOf(earlier);
    }

    /** Returns the newest kept earlier version that is a live file: what a restore without a version brings back. */
    public Optional<FileEntry> newestEarlierFile() {
        return earlier.stream().map(PastEntry::entry).filter(FileEntry::isLiveFile).findFirst();
    }

    /** Returns the version {@code version} of this path if the index keeps it (the current one included). */
    public Optional<FileEntry> version(long version) {
        if (current.version() == version) {
            return Optional.of(current);
        }
        return earlier.stream().map(PastEntry::entry).filter(e -> e.version() == version).findFirst();
    }
}
