package io.syncedfolder.common.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
    private final DataInputStream records;
    private final long size;
    /** Bytes of the chunk produced so far. */
    private long at;
    /** The tag of the record being read, or -1 between records. */
    private int record = -1;
    /** What is left of the record being read. */
    private int left;
    /** Where the copy record being read continues in the base. */
    private long copyFrom;

    private DeltaReader(DeltaBase base, InputStream delta, long size) {
        this.base = Objects.requireNonNull(base, "base");
        this.records = new DataInputStream(delta);
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

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (left == 0 && !nextRecord()) {
            return -1;
        }
        int n = Math.min(length, left);
        if (record == DeltaFormat.COPY) {
            base.read(copyFrom, buffer, offset, n);
            copyFrom += n;
        } else {
            n = records.read(buffer, offset, n);
            if (n < 0) {
                throw new DeltaFormatException("the delta ends inside a record");
            }
        }
        left -= n;
        at += n;
        return n;
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
        try {
            if (record == DeltaFormat.COPY) {
                int from = records.readInt();
                left = fitting(records.readInt(), size - at);
                if (from < 0 || from > base.size() - left) {
                    throw new DeltaFormatException("a copy of " + left + " bytes from offset " + from
                            + " lies outside the base of " + base.size() + " bytes");
                }
                copyFrom = from;
            } else if (record == DeltaFormat.LITERAL) {
                left = fitting(records.readInt(), size - at);
            } else {
                throw new DeltaFormatException("unknown record tag " + record);
            }
        } catch (EOFException e) {
            throw new DeltaFormatException("the delta ends inside a record");
        }
        return true;
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
