package io.syncedfolder.common.protocol;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Rebuilds a chunk from its base and a {@link DeltaFormat} delta, as a stream: the chunk's bytes are produced as
 * they are read, copied from the base or from the delta's literals, so neither the chunk nor the delta is ever held
 * whole. A malformed delta (an unknown record, a copy outside the base, more or fewer bytes than the chunk has, a
 * record cut short) fails a read with {@link DeltaFormatException}; the caller still checks the result against the
 * chunk's SHA-256.
 */
public final class DeltaReader extends InputStream {
    private final DeltaBase base;
    private final InputStream records;
    private final long size;
    /** Bytes of the chunk produced so far. */
    private long at;
    /** The tag of the record being read (or last read, once {@link #left} is 0); -1 once the delta has ended. */
    private int record = -1;
    /** What is left of the record being read. */
    private int left;
    /** Where the copy record being read continues in the base. */
    private long copyFrom;

    private DeltaReader(DeltaBase base, InputStream delta, long size) {
        this.base = Objects.requireNonNull(base, "base");
        // Buffered: a delta of many small records would otherwise cost a read of the body per header byte.
        this.records = new BufferedInputStream(delta, 64 * 1024);
        this.size = size;
    }

    /**
     * Returns the {@code size} bytes that {@code delta}, read to its end, makes of {@code base}, as a stream that
     * ends where the delta does; closing it closes {@code delta}.
     */
    public static InputStream stream(DeltaBase base, InputStream delta, long size) {
        return new DeltaReader(base, delta, size);
    }

    /** Returns the {@code size} bytes that {@code delta}, read to its end, makes of {@code base}. */
    public static byte[] rebuild(byte[] base, InputStream delta, int size) throws IOException {
        InputStream chunk = stream(DeltaBase.of(base), delta, size);
        byte[] bytes = chunk.readNBytes(size);
        chunk.read(); // the delta must end here: a record beyond the chunk's length fails this read
        return bytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Fills {@code buffer} across as many records as that takes, stopping early only where the delta ends: its
     * readers want the whole chunk, so a record not yet arrived is waited for.
     */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int filled = 0;
        while (filled < length) {
            if (left == 0 && !nextRecord()) {
                break;
            }
            int n = Math.min(length - filled, left);
            if (record == DeltaFormat.COPY) {
                readBase(buffer, offset + filled, n);
            } else {
                n = records.read(buffer, offset + filled, n);
                if (n < 0) {
                    throw new DeltaFormatException("the delta ends inside a record");
                }
            }
            left -= n;
            at += n;
            filled += n;
        }
        return filled == 0 && length > 0 ? -1 : filled;
    }

    /**
     * Copies the next {@code length} bytes of the copy record being read. A base that cannot be read is the
     * receiver's fault, not the delta's: it fails unchecked, so it is never mistaken for a broken or malformed
     * upload.
     */
    private void readBase(byte[] buffer, int offset, int length) {
        try {
            base.read(copyFrom, buffer, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("the base of a delta could not be read: " + e.getMessage(), e);
        }
        copyFrom += length;
    }

    /** Reads the next record's header; returns false where the delta ends, after checking the chunk is complete. */
    private boolean nextRecord() throws IOException {
        record = records.read();
        if (record < 0) {
            if (at != size) {
                throw new DeltaFormatException("the delta makes " + at + " bytes of a chunk of " + size);
            }
            return false;
        }
        if (record == DeltaFormat.COPY) {
            int from = field();
            left = fitting(field(), size - at);
            if (from < 0 || from > base.size() - left) {
                throw new DeltaFormatException("a copy of " + left + " bytes from offset " + from
                        + " lies outside the base of " + base.size() + " bytes");
            }
            copyFrom = from;
        } else if (record == DeltaFormat.LITERAL) {
            left = fitting(field(), size - at);
        } else {
            throw new DeltaFormatException("unknown record tag " + record);
        }
        return true;
    }

    /**
     * Reads a record's 4-byte field. Only the end of the delta makes it malformed; a failing read (a broken
     * connection, whatever exception type its stream uses) passes through as it is.
     */
    private int field() throws IOException {
        int value = 0;
        for (int i = 0; i < Integer.BYTES; i++) {
            int b = records.read();
            if (b < 0) {
                throw new DeltaFormatException("the delta ends inside a record");
            }
            value = value << 8 | b;
        }
        return value;
    }

    private static int fitting(int length, long left) throws DeltaFormatException {
        if (length < 1 || length > left) { // no empty records: a delta has at most as many records as bytes
            throw new DeltaFormatException("a record of " + length + " bytes where " + left + " are left");
        }
        return length;
    }

    @Override
    public void close() throws IOException {
        records.close();
    }

    /** Raised when a delta is not well formed. */
    public static final class DeltaFormatException extends IOException {
        public DeltaFormatException(String message) {
            super(message);
        }
    }
}
