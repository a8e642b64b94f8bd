package io.syncedfolder.common.protocol;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.Hashing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads {@link PackFormat} records from a stream, one chunk at a time, without buffering a chunk in memory.
 *
 * <p>{@link #next()} gives a record's header; {@link #content()} then streams its bytes. Malformed input (a bad
 * hash, a length over the limit, a record cut short) fails with {@link PackFormatException}.
 */
public final class PackReader {
    private final InputStream in;
    private final long maxChunkBytes;
    /** Holds each record's header in turn. */
    private final byte[] header = new byte[PackFormat.HEADER_BYTES];
    /** Takes the unread rest of a chunk when {@link #next()} moves past it. */
    private final byte[] skipBuffer = new byte[8192];
    private ChunkContent current;

    public PackReader(InputStream in, long maxChunkBytes) {
        this.in = in;
        this.maxChunkBytes = maxChunkBytes;
    }

    /** Returns the next record's chunk, skipping what was left unread of the previous one; empty at the end. */
    public Optional<ChunkRef> next() throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        int read = in.readNBytes(header, 0, header.length);
        if (read == 0) {
            return Optional.empty();
        }
        if (read < header.length) {
            throw new PackFormatException("pack ends inside a record header (" + read + " of "
                    + header.length + " bytes)");
        }
        String sha256 = new String(header, 0, 64, StandardCharsets.US_ASCII);
        if (!Hashing.isSha256Hex(sha256)) {
            throw new PackFormatException("pack record does not start with a lowercase SHA-256 hex digest");
        }
        long size = ByteBuffer.wrap(header, 64, Long.BYTES).getLong();
        if (size < 0 || size > maxChunkBytes) {
            throw new PackFormatException("pack record for " + sha256 + " claims " + size
                    + " bytes; the limit is " + maxChunkBytes);
        }
        current = new ChunkContent(size);
        return Optional.of(new ChunkRef(sha256, size));
    }

    /** Returns the current record's bytes; reading past them gives end of stream, a cut-short pack an error. */
    public InputStream content() {
        if (current == null) {
            throw new IllegalStateException("call next() first");
        }
        return current;
    }

    /** Raised when a pack is not well formed. */
    public static final class PackFormatException extends IOException {
        public PackFormatException(String message) {
            super(message);
        }
    }

    private final class ChunkContent extends InputStream {
        private long left;

        ChunkContent(long size) {
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw cutShort();
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw cutShort();
            }
            left -= n;
            return n;
        }

        void skipRest() throws IOException {
            while (read(skipBuffer, 0, skipBuffer.length) >= 0) {
                // discard
            }
        }

        private EOFException cutShort() {
            return new EOFException("pack ends " + left + " bytes before the end of a chunk");
        }
    }
}
