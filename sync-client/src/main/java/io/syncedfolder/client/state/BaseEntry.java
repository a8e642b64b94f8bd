package io.syncedfolder.client.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import java.util.List;
import java.util.Objects;

/**
 * What this client last synced for one path: the server version it agreed with, and the local file's
 * stat at that moment (so an unchanged file need not be hashed again).
 *
 * @param version  the server version of the entry both sides agreed on
 * @param mtime    the local file's modification time when recorded, epoch milliseconds
 * @param hashedAt when the local content was last hashed or written by us, epoch milliseconds
 */
public record BaseEntry(
        String path,
        EntryKind kind,
        long version,
        String sha256,
        long size,
        long mtime,
        boolean executable,
        List<ChunkRef> chunks,
        long hashedAt) {

    public BaseEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    /** Returns the base recording that {@code local} now matches the server's {@code remote} entry. */
    public static BaseEntry of(FileEntry remote, LocalFile local, long hashedAt) {
        return new BaseEntry(remote.path(), remote.kind(), remote.version(), local.sha256(), local.size(),
                local.mtime(), local.executable(), local.chunks(), hashedAt);
    }

    @JsonIgnore
    public boolean isDirectory() {
        return kind == EntryKind.DIRECTORY;
    }
}
