package io.syncedfolder.server.blob;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bundle one batch of uploads fills ({@link BundleFormat}): verified small blobs, kept in memory and written to
 * its temporary file once they pass {@value #SPILL_BYTES} bytes. For one thread.
 */
final class BundleWriter implements Closeable {
    /** Bytes held in memory before they go to the file: few writes, little memory per upload. */
    static final int SPILL_BYTES = 1024 * 1024;

    private final Path temp;
    private final List<BundleFormat.Entry> entries = new ArrayList<>();
    private byte[] buffer = new byte[16 * 1024];
    private int buffered;
    private long contentBytes;
    private FileChannel file;
    /** True once a write failed: the file may hold part of a buffer, so the bundle must not be finished. */
    private boolean broken;

    BundleWriter(Path temp) {
        this.temp = temp;
    }

    /** Adds the verified blob {@code sha256}, the first {@code length} bytes of {@code data}. */
    void add(String sha256, byte[] data, int length) throws IOException {
        entries.add(new BundleFormat.Entry(sha256, contentBytes, length));
        contentBytes += length;
        if (buffered + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffered + length, Math.min(2 * buffer.length, SPILL_BYTES)));
        }
        System.arraycopy(data, 0, buffer, buffered, length);
        buffered += length;
        if (buffered >= SPILL_BYTES) {
            spill();
        }
    }

    List<BundleFormat.Entry> entries() {
        return entries;
    }

    /** Returns the bytes of the only blob added, while nothing went to the file yet; null otherwise. */
    byte[] onlyBlob() {
        return entries.size() == 1 && file == null ? Arrays.copyOf(buffer, buffered) : null;
    }

    /** Writes the rest, the index and the trailer to the temporary file and returns the bundle's index; not flushed. */
    BundleFormat.Index finish() throws IOException {
        if (broken) {
            throw new IOException("an earlier write to the bundle " + temp + " failed");
        }
        spill();
        write(BundleFormat.indexAndTrailer(entries, contentBytes));
        file.close();
        return new BundleFormat.Index(List.copyOf(entries), contentBytes, true);
    }

    Path file() {
        return temp;
    }

    /** Closes the temporary file and deletes it, unless it was renamed away. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
        Files.deleteIfExists(temp);
    }

    private void spill() throws IOException {
        if (file == null) {
            file = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        write(ByteBuffer.wrap(buffer, 0, buffered));
        buffered = 0;
    }

    private void write(ByteBuffer bytes) throws IOException {
        try {
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }
}
