package io.syncedfolder.common.protocol;

import io.syncedfolder.common.ChunkRef;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes chunks as {@link PackFormat} records to a stream; the caller owns and closes the stream. */
public final class PackWriter {
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];

    public PackWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes one record: the chunk's header, then exactly {@code chunk.size()} bytes read from {@code content}. */
    public void write(ChunkRef chunk, InputStream content) throws IOException {
        writeHeader(chunk);
        long left = chunk.size();
        while (left > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("content of chunk " + chunk.sha256() + " ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** Writes one record whose content is all of {@code content}. */
    public void write(String sha256, byte[] content) throws IOException {
        writeHeader(new ChunkRef(sha256, content.length));
        out.write(content);
    }

    private void writeHeader(ChunkRef chunk) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(PackFormat.HEADER_BYTES);
        byte[] hash = chunk.sha256().getBytes(StandardCharsets.US_ASCII);
        if (hash.length != 64) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + chunk.sha256());
        }
        header.put(hash).putLong(chunk.size());
        out.write(header.array());
    }
}
