package io.syncedfolder.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * Computes a file's {@link FileDigest} in one streaming read, never holding the file in memory.
 *
 * <p>Today a non-empty file is stored as a single chunk; content-defined chunking replaces the splitting
 * here without changing the protocol, which already carries a chunk list.
 */
public final class FileDigester {
    private static final int BUFFER = 256 * 1024;

    private FileDigester() {
    }

    public static FileDigest digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    public static FileDigest digest(InputStream in) throws IOException {
        MessageDigest whole = Hashing.sha256();
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            whole.update(buffer, 0, n);
            size += n;
        }
        String sha256 = Hashing.hex(whole.digest());
        List<ChunkRef> chunks = size == 0 ? List.of() : List.of(new ChunkRef(sha256, size));
        return new FileDigest(sha256, size, chunks);
    }
}
