package io.syncedfolder.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/**
 * The server's record of one path: a live file, a live directory, or a tombstone ({@code deleted}).
 *
 * @param path       NFC relative path, valid under {@link PathRules}
 * @param kind       file or directory (a tombstone keeps the kind of what was deleted)
 * @param deleted    true for a tombstone
 * @param version    the server sequence number that produced this entry
 * @param sha256     whole-file SHA-256 in lowercase hex; null for directories and tombstones
 * @param size       file size in bytes; 0 for directories and tombstones
 * @param mtime      modification time in epoch milliseconds
 * @param executable the owner-executable bit
 * @param chunks     the blobs that make up the file, in order; empty for empty files, directories, tombstones
 * @param device     the name of the device that made this change
 */
public record FileEntry(
        String path,
        EntryKind kind,
        boolean deleted,
        long version,
        String sha256,
        long size,
        long mtime,
        boolean executable,
        List<ChunkRef> chunks,
        String device) {

    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    @JsonIgnore
    public boolean isLiveFile() {
        return !deleted && kind == EntryKind.FILE;
    }

    @JsonIgnore
    public boolean isLiveDirectory() {
        return !deleted && kind == EntryKind.DIRECTORY;
    }
}
