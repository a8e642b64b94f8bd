package io.syncedfolder.common.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The chunk a delta copies from ({@link DeltaFormat}), read at any offset as the delta asks: from memory, or from
 * a file without holding it in memory.
 */
public interface DeltaBase {
    /** Returns the base's length in bytes. */
    long size();

    /**
     * Reads exactly {@code length} bytes at {@code offset} into {@code buffer} from {@code at}; the caller keeps the
     * range within {@link #size()}.
     */
    void read(long offset, byte[] buffer, int at, int length) throws IOException;

    /** Returns a base held in memory. */
    static DeltaBase of(byte[] bytes) {
        return new DeltaBase() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void read(long offset, byte[] buffer, int at, int length) {
                System.arraycopy(bytes, Math.toIntExact(offset), buffer, at, length);
            }
        };
    }

    /**
     * Returns a base read from {@code file} by positional reads, which must be {@code size} bytes long; a file that
     * turns out shorter fails the read with {@link EOFException}. Short reads come from a window of the file read
     * ahead, so a delta of many small copies does not cost a system call each.
     */
    static DeltaBase of(FileChannel file, long size) {
        return of(file, 0, size);
    }

    /** Returns a base read as {@link #of(FileChannel, long)} does, from the {@code size} bytes at {@code start}. */
    static DeltaBase of(FileChannel file, long start, long size) {
        return new DeltaBase() {
            private static final int WINDOW = 64 * 1024;
            private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
            private long windowStart;

            @Override
            public long size() {
                return size;
            }

            @Override
            public void read(long offset, byte[] buffer, int at, int length) throws IOException {
                if (length >= WINDOW) {
                    readFully(offset, ByteBuffer.wrap(buffer, at, length));
                    return;
                }
                if (offset < windowStart || offset + length > windowStart + window.position()) {
                    window.clear().limit((int) Math.min(WINDOW, Math.max(length, size - offset)));
                    windowStart = offset;
                    readFully(offset, window);
                }
                System.arraycopy(window.array(), (int) (offset - windowStart), buffer, at, length);
            }

            private void readFully(long offset, ByteBuffer into) throws IOException {
                for (long position = offset; into.hasRemaining(); ) {
                    int n = file.read(into, start + position);
                    if (n < 0) {
                        throw new EOFException("the base of a delta is shorter than its " + size + " bytes");
                    }
                    position += n;
                }
            }
        };
    }
}
