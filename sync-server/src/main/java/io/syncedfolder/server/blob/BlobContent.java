package io.syncedfolder.server.blob;

import io.syncedfolder.common.protocol.DeltaBase;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An open stored blob: its length, and the file it lies in from {@code start} on (a blob of its own from 0, or a
 * bundle), which the reader must close.
 *
 * @param size  the length in bytes
 * @param file  the file, open for reading
 * @param start where the blob's bytes begin in the file
 */
public record BlobContent(long size, FileChannel file, long start) implements Closeable {
    /** Returns a stream over the blob's bytes from its start, read from disk as they are consumed. */
    public InputStream content() {
        return new InputStream() {
            private long position = start;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int at, int length) throws IOException {
                long left = start + size - position;
                if (length == 0) {
                    return 0;
                }
                if (left <= 0) {
                    return -1;
                }
                int n = file.read(ByteBuffer.wrap(buffer, at, (int) Math.min(length, left)), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        };
    }

    /** Returns the blob as the base of a delta, read by positional reads. */
    public DeltaBase deltaBase() {
        return DeltaBase.of(file, start, size);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
