package io.syncedfolder.common.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Rebuilds a chunk from its base and a {@link DeltaFormat} delta. A malformed delta (an unknown record, a copy
 * outside the base, more or fewer bytes than the chunk has, a record cut short) fails with
 * {@link DeltaFormatException}; the caller still checks the result against the chunk's SHA-256.
 */
public final class DeltaReader {
    private DeltaReader() {
    }

    /** Returns the {@code size} bytes that {@code delta}, read to its end, makes of {@code base}. */
    public static byte[] rebuild(byte[] base, InputStream delta, int size) throws IOException {
        DataInputStream records = new DataInputStream(delta);
        byte[] chunk = new byte[size];
        int at = 0;
        for (int tag = records.read(); tag >= 0; tag = records.read()) {
            try {
                if (tag == DeltaFormat.COPY) {
                    int offset = records.readInt();
                    int length = fitting(records.readInt(), size - at);
                    if (offset < 0 || offset > base.length - length) {
                        throw new DeltaFormatException("a copy of " + length + " bytes from offset " + offset
                                + " lies outside the base of " + base.length + " bytes");
                    }
                    System.arraycopy(base, offset, chunk, at, length);
                    at += length;
                } else if (tag == DeltaFormat.LITERAL) {
                    int length = fitting(records.readInt(), size - at);
                    records.readFully(chunk, at, length);
                    at += length;
                } else {
                    throw new DeltaFormatException("unknown record tag " + tag);
                }
            } catch (EOFException e) {
                throw new DeltaFormatException("the delta ends inside a record");
            }
        }
        if (at != size) {
            throw new DeltaFormatException("the delta makes " + at + " bytes of a chunk of " + size);
        }
        return chunk;
    }

    private static int fitting(int length, int left) throws DeltaFormatException {
        if (length < 1 || length > left) { // no empty records: a delta has at most as many records as bytes
            throw new DeltaFormatException("a record of " + length + " bytes where " + left + " are left");
        }
        return length;
    }

    /** Raised when a delta is not well formed. */
    public static final class DeltaFormatException extends IOException {
        public DeltaFormatException(String message) {
            super(message);
        }
    }
}
