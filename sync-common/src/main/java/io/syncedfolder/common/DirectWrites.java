package io.syncedfolder.common;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes stretches of one large file so that most of their bytes bypass the page cache ({@code O_DIRECT}): each
 * {@link Stretch} is written front to back by one thread, its whole {@link #UNIT}s straight to disk, the partial
 * units at its two ends through the ordinary channel. Where the file system refuses direct writes, everything goes
 * through the ordinary channel.
 *
 * <p>Why: a file that is flushed before it is used anyway gains nothing from the page cache but a copy, and filling
 * the cache has a price of its own. On the 2-core bench machine (a VM), writing 1 GiB into the page cache took 3.6 to
 * 4 s of system time when its memory had not been used in the last seconds, and 0.25 s when it had; written direct,
 * the same GiB took 1.2 to 1.4 s of wall time, 0.3 to 0.5 s of it CPU, and was then on disk (bench/README.md).
 *
 * <p>Reading the file through the ordinary channel sees what was written either way: the kernel keeps the two
 * coherent. Safe for use by several threads, each with stretches of its own that do not overlap.
 */
public final class DirectWrites implements AutoCloseable {
    /** Bytes a stretch collects before one direct write: large enough for the disk, small per thread. */
    static final int BUFFER = 1024 * 1024;
    /**
     * What direct writes are aligned to, in the file and in memory: no smaller than any page size Linux uses (up to
     * 64 KiB on arm64 and ppc64). So a page the cache holds for the edge of one stretch never also covers a direct
     * write of another, whose write would fail to drop that page from the cache while the edge is being written.
     */
    static final int UNIT = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> BUFFERS = new ThreadLocal<>();

    private final FileChannel buffered;
    /** The file opened for direct writes, or null when they are not to be had. */
    private final FileChannel direct;
    /** {@link #UNIT}, or the file system's block if that is larger. */
    private final int unit;
    /** Set once the file system refused a direct write it had let us open for: the rest go through the cache. */
    private volatile boolean refused;

    private DirectWrites(FileChannel buffered, FileChannel direct, int unit) {
        this.buffered = buffered;
        this.direct = direct;
        this.unit = unit;
    }

    /**
     * Opens {@code file}, already open as {@code buffered} for writing, for direct writes too; where the file system
     * does not take them, every write goes through {@code buffered}. Closing this leaves {@code buffered} open.
     */
    public static DirectWrites open(Path file, FileChannel buffered) {
        try {
            int block = Math.toIntExact(Files.getFileStore(file).getBlockSize());
            if (block <= 0 || Integer.bitCount(block) != 1 || block > BUFFER) {
                return through(buffered);
            }
            FileChannel direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            return new DirectWrites(buffered, direct, Math.max(block, UNIT));
        } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
            return through(buffered); // tmpfs and some others: the ordinary way, as fast as they allow
        }
    }

    /** Writes everything through {@code buffered}. */
    public static DirectWrites through(FileChannel buffered) {
        return new DirectWrites(buffered, null, 0);
    }

    /** True if whole units bypass the page cache. */
    public boolean isDirect() {
        return direct != null && !refused;
    }

    /** Starts a stretch written from {@code position} on, by the calling thread. */
    public Stretch from(long position) {
        return new Stretch(position);
    }

    @Override
    public void close() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }

    /** One stretch of the file, written front to back by one thread; {@link #finish()} writes what it holds. */
    public final class Stretch {
        /** Where the next byte goes. */
        private long position;
        /** Bytes held for a direct write at {@link #held}; null while the stretch is not yet at a unit boundary. */
        private ByteBuffer buffer;
        private long held;
        /** Whether a full buffer was written: a stretch shorter than one goes through the cache whole. */
        private boolean longer;

        private Stretch(long position) {
            this.position = position;
        }

        /** Writes {@code length} bytes of {@code bytes} from {@code offset} at this stretch's end. */
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int at = offset;
            int end = offset + length;
            while (at < end) {
                if (buffer == null) {
                    int toBoundary = isDirect() ? (int) Math.min(end - at, headLength()) : end - at;
                    if (toBoundary > 0) {
                        writeThrough(ByteBuffer.wrap(bytes, at, toBoundary), position);
                        position += toBoundary;
                        at += toBoundary;
                        continue;
                    }
                    buffer = threadBuffer();
                    held = position;
                }
                int n = Math.min(end - at, buffer.remaining());
                buffer.put(bytes, at, n);
                position += n;
                at += n;
                if (!buffer.hasRemaining()) {
                    writeHeld();
                    longer = true;
                }
            }
        }

        /** Returns where the next byte written goes. */
        public long position() {
            return position;
        }

        /** Writes what this stretch still holds; the stretch is over. */
        public void finish() throws IOException {
            if (buffer != null) {
                writeHeld();
                buffer = null;
            }
        }

        /** Bytes from {@link #position} to the next unit boundary. */
        private long headLength() {
            return (unit - position % unit) % unit;
        }

        /**
         * Writes the held bytes: whole units direct, a partial last unit through the page cache; all of them
         * through the cache if the stretch is shorter than a buffer, where a direct write would only wait on the disk.
         */
        private void writeHeld() throws IOException {
            buffer.flip();
            int tail = buffer.limit();
            if (isDirect() && (longer || tail == buffer.capacity())) {
                buffer.limit(tail - tail % unit);
                try {
                    while (buffer.hasRemaining()) {
                        held += direct.write(buffer, held);
                    }
                } catch (IOException e) {
                    refused = true; // a real disk error fails again below, through the cache, and is thrown then
                }
                buffer.limit(tail);
            }
            held = writeThrough(buffer, held);
            buffer.clear();
        }

        /** Writes {@code bytes} at {@code at} through the page cache; returns where they end. */
        private long writeThrough(ByteBuffer bytes, long at) throws IOException {
            long to = at;
            while (bytes.hasRemaining()) {
                to += buffered.write(bytes, to);
            }
            return to;
        }

        /** This thread's buffer, aligned for direct writes: allocated once per thread, as it is costly. */
        private ByteBuffer threadBuffer() {
            ByteBuffer mine = BUFFERS.get();
            if (mine == null || mine.alignmentOffset(0, unit) != 0) {
                mine = ByteBuffer.allocateDirect(BUFFER + unit).alignedSlice(unit).limit(BUFFER).slice();
                BUFFERS.set(mine);
            }
            return mine.clear();
        }
    }
}
