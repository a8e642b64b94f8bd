package io.syncedfolder.client.scan;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import java.util.List;
import java.util.Objects;

/**
 * One file or directory found in the local folder.
 *
 * @param path     the NFC relative path used for syncing
 * @param diskPath the relative path exactly as named on disk (may differ from {@code path} in normalization)
 * @param sha256   whole-file SHA-256; null for directories
 * @param mtime    modification time in epoch milliseconds
 */
public record LocalFile(
        String path,
        String diskPath,
        EntryKind kind,
        long size,
        long mtime,
        boolean executable,
        String sha256,
        List<ChunkRef> chunks) {

    public LocalFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(diskPath, "diskPath");
        Objects.requireNonNull(kind, "kind");
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    public static LocalFile directory(String path, String diskPath, long mtime) {
        return new LocalFile(path, diskPath, EntryKind.DIRECTORY, 0, mtime, false, null, List.of());
    }

    public boolean isDirectory() {
        return kind == EntryKind.DIRECTORY;
    }
}
