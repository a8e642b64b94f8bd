package io.syncedfolder.server.blob;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * An open stored blob: its length and its file, which the reader must close.
 *
 * @param size the length in bytes
 * @param file the blob's file, open for reading
 */
public record BlobContent(long size, FileChannel file) implements Closeable {
    /** Returns a stream over the bytes from the file's position, read from disk as they are consumed. */
    public InputStream content() {
        return Channels.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
