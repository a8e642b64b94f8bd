package io.syncedfolder.common.protocol;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import java.util.List;

/**
 * One path's new state proposed in a commit.
 *
 * @param baseVersion the version of the entry this change was based on (0: the path had no entry);
 *                    the server accepts the change only if that is still the current version
 */
public record Change(
        String path,
        long baseVersion,
        EntryKind kind,
        boolean deleted,
        String sha256,
        long size,
        long mtime,
        boolean executable,
        List<ChunkRef> chunks) {

    public Change {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    public static Change file(String path, long baseVersion, String sha256, long size, long mtime,
                              boolean executable, List<ChunkRef> chunks) {
        return new Change(path, baseVersion, EntryKind.FILE, false, sha256, size, mtime, executable, chunks);
    }

    public static Change directory(String path, long baseVersion, long mtime) {
        return new Change(path, baseVersion, EntryKind.DIRECTORY, false, null, 0, mtime, false, List.of());
    }

    public static Change deletion(String path, long baseVersion, EntryKind kind, long mtime) {
        return new Change(path, baseVersion, kind, true, null, 0, mtime, false, List.of());
    }
}
