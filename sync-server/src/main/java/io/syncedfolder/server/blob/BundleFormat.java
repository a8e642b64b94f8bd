package io.syncedfolder.server.blob;

import io.syncedfolder.common.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The layout of a bundle file, many small blobs in one file: their bytes one after another from offset 0, then an
 * index of 44 bytes per blob (its SHA-256, 32 bytes; its offset, 8; its length, 4), then a trailer of 52 bytes (the
 * index's offset, 8; the number of blobs, 4; the SHA-256 of the index, 32; the magic {@code SFBUNDL1}, 8). Integers
 * are big-endian.
 *
 * <p>A bundle is written whole, flushed and only then renamed where the store reads it, so it is never seen in
 * part; the index's hash and the bounds checks catch a file damaged on disk or edited by hand. An index that does not
 * match its hash is not thrown away whole: each blob whose bytes still hash to its name is kept ({@link #salvage}), so
 * a damaged bundle loses no more than damaged blob files would.
 */
final class BundleFormat {
    static final String SUFFIX = ".bundle";
    static final int ENTRY_BYTES = 32 + 8 + 4;
    static final int TRAILER_BYTES = 8 + 4 + 32 + 8;
    private static final byte[] MAGIC = "SFBUNDL1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private BundleFormat() {
    }

    /** A blob in a bundle: its hash, and where its bytes lie in the file. */
    record Entry(String sha256, long offset, int length) {
    }

    /**
     * A bundle's index: its blobs, and the bytes of content before the index.
     *
     * @param checked true if the index matched the hash in the trailer; otherwise its entries are to be salvaged
     */
    record Index(List<Entry> entries, long contentBytes, boolean checked) {
    }

    /** A bundle file that cannot be read: cut short, damaged, or not a bundle. */
    static final class DamagedBundleException extends IOException {
        DamagedBundleException(String message) {
            super(message);
        }
    }

    /** Returns the index and trailer that end a bundle whose blobs' bytes take {@code contentBytes}. */
    static ByteBuffer indexAndTrailer(List<Entry> entries, long contentBytes) {
        ByteBuffer out = ByteBuffer.allocate(entries.size() * ENTRY_BYTES + TRAILER_BYTES);
        for (Entry entry : entries) {
            out.put(HEX.parseHex(entry.sha256())).putLong(entry.offset()).putInt(entry.length());
        }
        MessageDigest digest = Hashing.sha256();
        digest.update(out.array(), 0, out.position());
        out.putLong(contentBytes).putInt(entries.size()).put(digest.digest()).put(MAGIC);
        return out.flip();
    }

    /** Reads the index of the bundle open in {@code file}, checking it against the trailer and the file's size. */
    static Index readIndex(FileChannel file) throws IOException {
        long size = file.size();
        if (size < TRAILER_BYTES) {
            throw new DamagedBundleException("shorter than a bundle's trailer (" + size + " bytes)");
        }
        ByteBuffer trailer = readFully(file, size - TRAILER_BYTES, TRAILER_BYTES);
        long indexOffset = trailer.getLong();
        int count = trailer.getInt();
        byte[] indexHash = new byte[32];
        trailer.get(indexHash);
        byte[] magic = new byte[MAGIC.length];
        trailer.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DamagedBundleException("no bundle trailer at its end");
        }
        if (count < 0 || indexOffset < 0 || indexOffset + (long) count * ENTRY_BYTES + TRAILER_BYTES != size) {
            throw new DamagedBundleException("its trailer says " + count + " blobs from offset " + indexOffset
                    + ", which does not fit its " + size + " bytes");
        }
        ByteBuffer index = readFully(file, indexOffset, count * ENTRY_BYTES);
        MessageDigest digest = Hashing.sha256();
        digest.update(index.array());
        boolean checked = Arrays.equals(digest.digest(), indexHash);
        List<Entry> entries = new ArrayList<>(count);
        byte[] hash = new byte[32];
        for (int i = 0; i < count; i++) {
            index.get(hash);
            long offset = index.getLong();
            int length = index.getInt();
            if (offset < 0 || length < 0 || offset + length > indexOffset) {
                if (checked) {
                    throw new DamagedBundleException("blob " + i + " lies outside the bundle's content");
                }
                continue; // a damaged entry of a damaged index
            }
            entries.add(new Entry(Hashing.hex(hash), offset, length));
        }
        return new Index(entries, indexOffset, checked);
    }

    /** Returns the entries of an unchecked index whose bytes in {@code file} hash to their name. */
    static Index salvage(FileChannel file, Index suspect) throws IOException {
        List<Entry> intact = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024); // a damaged length may be large: hashed piece by piece
        for (Entry entry : suspect.entries()) {
            MessageDigest digest = Hashing.sha256();
            for (long done = 0; done < entry.length(); ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), entry.length() - done));
                int n = file.read(buffer, entry.offset() + done);
                if (n < 0) {
                    throw new DamagedBundleException("cut short while reading at " + (entry.offset() + done));
                }
                digest.update(buffer.array(), 0, n);
                done += n;
            }
            if (Hashing.hex(digest.digest()).equals(entry.sha256())) {
                intact.add(entry);
            }
        }
        return new Index(intact, suspect.contentBytes(), true);
    }

    private static ByteBuffer readFully(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new DamagedBundleException("cut short while reading at " + position);
            }
        }
        return buffer.flip();
    }
}
