package io.syncedfolder.common;

import java.util.List;

/** A file's content identity: whole-file SHA-256, size, and the chunks it is stored as. */
public record FileDigest(String sha256, long size, List<ChunkRef> chunks) {
    public FileDigest {
        chunks = List.copyOf(chunks);
    }
}
