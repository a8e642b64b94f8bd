package io.syncedfolder.common.protocol;

import io.syncedfolder.common.Hashing;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * What a chunk's blocks look like, without their bytes: for each whole block of {@link #blockSize()} bytes a
 * rolling hash that a sender can look for at every offset of its own data, and the first 8 bytes of its SHA-256
 * to confirm a match. The server sends it for a chunk it holds, so a client that no longer has that chunk can
 * still send a new chunk as a {@link DeltaFormat} delta against it ({@link DeltaWriter#write(BlockSignature,
 * byte[], OutputStream)}); the server checks the rebuilt chunk against its SHA-256.
 *
 * <p>On the wire ({@value #MEDIA_TYPE}): the block size as a 4-byte big-endian integer, then per block its
 * rolling hash (4 bytes) and its SHA-256 prefix (8 bytes); it ends where the stream ends.
 */
public final class BlockSignature {
    /** The media type of a signature body. */
    public static final String MEDIA_TYPE = "application/x-synced-folder-signature";
    /** The block size the server uses: 12 bytes of signature per KiB of chunk, about 1 KiB sent per edit. */
    public static final int BLOCK_SIZE = 1024;
    private static final int MIN_BLOCK_SIZE = 16;
    /** A sender confirms each candidate block with a SHA-256 over it: larger blocks would let a signature cost much. */
    private static final int MAX_BLOCK_SIZE = 64 * 1024;

    private final int blockSize;
    private final int[] weak;
    private final long[] strong;

    private BlockSignature(int blockSize, int[] weak, long[] strong) {
        this.blockSize = blockSize;
        this.weak = weak;
        this.strong = strong;
    }

    /**
     * Returns the signature of the whole blocks of {@code blockSize} bytes of {@code base}, a chunk of {@code size}
     * bytes read block by block, so the chunk is never held whole.
     *
     * @throws EOFException if {@code base} ends before {@code size} bytes
     */
    public static BlockSignature of(InputStream base, long size, int blockSize) throws IOException {
        RollingHash rolling = new RollingHash(blockSize);
        MessageDigest sha256 = Hashing.sha256();
        int blocks = Math.toIntExact(size / blockSize);
        int[] weak = new int[blocks];
        long[] strong = new long[blocks];
        byte[] bytes = new byte[blockSize];
        for (int block = 0; block < blocks; block++) {
            if (base.readNBytes(bytes, 0, blockSize) < blockSize) {
                throw new EOFException("the chunk ends before its " + size + " bytes");
            }
            weak[block] = weak(rolling.of(bytes, 0));
            strong[block] = strong(sha256, bytes, 0, blockSize);
        }
        return new BlockSignature(blockSize, weak, strong);
    }

    /**
     * Reads a signature of a chunk of {@code chunkSize} bytes, refusing a malformed one: a block size out of
     * range, more blocks than the chunk has, a block cut short.
     */
    public static BlockSignature read(InputStream in, long chunkSize) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            int blockSize = data.readInt();
            if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
                throw new IOException("a signature with blocks of " + blockSize + " bytes");
            }
            long most = chunkSize / blockSize;
            int[] weak = new int[(int) most];
            long[] strong = new long[(int) most];
            int blocks = 0;
            for (int first = data.read(); first >= 0; first = data.read()) {
                if (blocks == most) {
                    throw new IOException("a signature of more blocks than a chunk of " + chunkSize + " bytes has");
                }
                weak[blocks] = first << 24 | data.readUnsignedByte() << 16 | data.readUnsignedShort();
                strong[blocks] = data.readLong();
                blocks++;
            }
            return new BlockSignature(blockSize, Arrays.copyOf(weak, blocks),
                    Arrays.copyOf(strong, blocks));
        } catch (EOFException e) {
            throw new IOException("the signature ends inside a block", e);
        }
    }

    /** Writes this signature; the caller closes {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(blockSize);
        for (int block = 0; block < weak.length; block++) {
            data.writeInt(weak[block]);
            data.writeLong(strong[block]);
        }
        data.flush();
    }

    /** Returns the bytes {@link #writeTo} writes. */
    public long length() {
        return Integer.BYTES + (long) weak.length * (Integer.BYTES + Long.BYTES);
    }

    public int blockSize() {
        return blockSize;
    }

    int blocks() {
        return weak.length;
    }

    int weak(int block) {
        return weak[block];
    }

    long strong(int block) {
        return strong[block];
    }

    /** Folds a rolling hash to the 4 bytes a signature keeps. */
    static int weak(long rollingHash) {
        return (int) (rollingHash ^ rollingHash >>> 32);
    }

    /** Returns the first 8 bytes of the SHA-256 of {@code bytes[from, from + length)}. */
    static long strong(MessageDigest sha256, byte[] bytes, int from, int length) {
        sha256.update(bytes, from, length);
        return ByteBuffer.wrap(sha256.digest()).getLong();
    }
}
