package io.syncedfolder.common;

import java.util.Objects;

/**
 * One content-addressed piece of a file: its SHA-256 (lowercase hex) and length in bytes.
 * A file's chunks, concatenated in order, are the file.
 */
public record ChunkRef(String sha256, long size) {
    public ChunkRef {
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("chunk size must not be negative: " + size);
        }
    }
}
