package io.syncedfolder.server.blob;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open stored blob: its length and a stream over its bytes, which the reader must close.
 *
 * @param size    the length in bytes
 * @param content the bytes, read from disk as they are consumed
 */
public record BlobContent(long size, InputStream content) implements Closeable {
    @Override
    public void close() throws IOException {
        content.close();
    }
}
