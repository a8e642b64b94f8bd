package io.syncedfolder.common.protocol;

import io.syncedfolder.common.Hashing;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Writes a {@link DeltaFormat} delta of a chunk against a base, the way rsync matches blocks: the base's blocks
 * are indexed by a rolling hash, the chunk is scanned byte by byte for them, and matches become copies. Bytes
 * inserted, deleted or changed anywhere, even in several places, cost about their own length (against the base's
 * bytes) or about a block (against its {@link BlockSignature}); content the base does not have is sent as is.
 */
public final class DeltaWriter {
    /** Bytes of one indexed block of a base held in full: the least it must share with the chunk for a copy. */
    static final int BLOCK = 64;

    private DeltaWriter() {
    }

    /**
     * Writes the delta that rebuilds {@code chunk} from {@code base}, both in hand: every match is grown both ways
     * as far as the bytes agree, so an edit costs its own length. The caller closes {@code out}.
     */
    public static void write(byte[] base, byte[] chunk, OutputStream out) throws IOException {
        scan(new BaseBytes(base), chunk, out);
    }

    /**
     * Writes the delta that rebuilds {@code chunk} from a base known only by its {@code signature}: blocks found
     * by their rolling hash and confirmed by their SHA-256 prefix become copies, the rest is sent as is. The
     * caller closes {@code out}.
     */
    public static void write(BlockSignature signature, byte[] chunk, OutputStream out) throws IOException {
        scan(new SignatureBlocks(signature), chunk, out);
    }

    /** Scans {@code chunk} for the base's blocks at every offset and writes the copies and literals found. */
    private static void scan(Matcher base, byte[] chunk, OutputStream out) throws IOException {
        int window = base.window();
        RollingHash rolling = new RollingHash(window);
        Records records = new Records(out);
        int literalFrom = 0;
        int at = 0;
        long hash = chunk.length >= window ? rolling.of(chunk, 0) : 0;
        while (at + window <= chunk.length) {
            int match = base.find(hash, chunk, at);
            if (match < 0) {
                if (at + window < chunk.length) {
                    hash = rolling.roll(hash, chunk[at], chunk[at + window]);
                }
                at++;
                continue;
            }
            int back = base.matchingBefore(match, chunk, at, literalFrom);
            int ahead = base.matchingAfter(match + window, chunk, at + window);
            records.literal(chunk, literalFrom, at - back);
            records.copy(match - back, back + window + ahead);
            at += window + ahead;
            literalFrom = at;
            if (at + window <= chunk.length) {
                hash = rolling.of(chunk, at);
            }
        }
        records.literal(chunk, literalFrom, chunk.length);
        records.finish();
    }

    /** The base as the scan sees it: blocks to look up by rolling hash, and how far a match may grow. */
    private interface Matcher {
        int window();

        /** Returns the base offset of a block equal to {@code chunk[at, at + window)}, whose hash is given, or -1. */
        int find(long hash, byte[] chunk, int at);

        /** Returns how many bytes before a match at {@code match} also match, back to {@code from} at most. */
        int matchingBefore(int match, byte[] chunk, int at, int from);

        /** Returns how many bytes after a match, from base offset {@code base} and chunk offset {@code at}, also match. */
        int matchingAfter(int base, byte[] chunk, int at);
    }

    /** A base in hand: every {@value #BLOCK}-byte block indexed, matches checked and grown byte by byte. */
    private static final class BaseBytes implements Matcher {
        private final byte[] base;
        private final BlockIndex index;

        BaseBytes(byte[] base) {
            this.base = base;
            RollingHash rolling = new RollingHash(BLOCK);
            this.index = new BlockIndex(base.length / BLOCK);
            for (int block = base.length / BLOCK - 1; block >= 0; block--) {
                index.put(BlockSignature.weak(rolling.of(base, block * BLOCK)), block); // the earliest block wins
            }
        }

        @Override
        public int window() {
            return BLOCK;
        }

        @Override
        public int find(long hash, byte[] chunk, int at) {
            int block = index.get(BlockSignature.weak(hash));
            int match = block * BLOCK;
            return block >= 0 && Arrays.mismatch(base, match, match + BLOCK, chunk, at, at + BLOCK) < 0 ? match : -1;
        }

        @Override
        public int matchingBefore(int match, byte[] chunk, int at, int from) {
            int back = 0;
            while (at - back > from && match - back > 0 && base[match - back - 1] == chunk[at - back - 1]) {
                back++;
            }
            return back;
        }

        @Override
        public int matchingAfter(int offset, byte[] chunk, int at) {
            int differ = Arrays.mismatch(base, offset, base.length, chunk, at, chunk.length);
            return differ < 0 ? Math.min(base.length - offset, chunk.length - at) : differ;
        }
    }

    /**
     * A base known by its signature: whole blocks only, each confirmed by its SHA-256 prefix. Candidates that fail
     * confirmation are few in honest data; past a bound (a signature made to match everywhere), no more are
     * tried, so a hostile signature costs a bounded number of hashes and yields a delta of literals.
     */
    private static final class SignatureBlocks implements Matcher {
        private final BlockSignature signature;
        private final BlockIndex index;
        private final MessageDigest sha256 = Hashing.sha256();
        private int failuresLeft;

        SignatureBlocks(BlockSignature signature) {
            this.signature = signature;
            this.failuresLeft = signature.blocks() + 64;
            this.index = new BlockIndex(signature.blocks());
            for (int block = signature.blocks() - 1; block >= 0; block--) {
                index.put(signature.weak(block), block);
            }
        }

        @Override
        public int window() {
            return signature.blockSize();
        }

        @Override
        public int find(long hash, byte[] chunk, int at) {
            int block = index.get(BlockSignature.weak(hash));
            if (block < 0 || failuresLeft == 0) {
                return -1;
            }
            if (signature.strong(block) != BlockSignature.strong(sha256, chunk, at, signature.blockSize())) {
                failuresLeft--;
                return -1;
            }
            return block * signature.blockSize();
        }

        @Override
        public int matchingBefore(int match, byte[] chunk, int at, int from) {
            return 0; // the bytes around a block are unknown; the next block, if it matches, is found as a copy
        }

        @Override
        public int matchingAfter(int base, byte[] chunk, int at) {
            return 0;
        }
    }

    /**
     * Block numbers by a 32-bit hash, open addressing with linear probing at most a quarter full. One block per
     * hash: the one put last (the earliest, as callers put them backwards); a block with a colliding hash but
     * other bytes is not found, which costs only a literal.
     */
    private static final class BlockIndex {
        /** Per slot: 1 + a block, 0 for an empty slot. */
        private final int[] blocks;
        /** Per slot: that block's hash. */
        private final int[] hashes;
        private final int mask;
        private final int shift;

        BlockIndex(int count) {
            int bits = Math.max(4, 34 - Integer.numberOfLeadingZeros(Math.max(1, count)));
            this.blocks = new int[1 << bits];
            this.hashes = new int[1 << bits];
            this.mask = (1 << bits) - 1;
            this.shift = 32 - bits;
        }

        void put(int hash, int block) {
            int slot = slot(hash);
            while (blocks[slot] != 0 && hashes[slot] != hash) {
                slot = (slot + 1) & mask;
            }
            blocks[slot] = block + 1;
            hashes[slot] = hash;
        }

        /** Returns the block put under {@code hash}, or -1. */
        int get(int hash) {
            for (int slot = slot(hash); blocks[slot] != 0; slot = (slot + 1) & mask) {
                if (hashes[slot] == hash) {
                    return blocks[slot] - 1;
                }
            }
            return -1;
        }

        private int slot(int hash) {
            return (hash * 0x9E3779B9) >>> shift;
        }
    }

    /** Writes records, joining a copy that carries on where the previous one ended into one. */
    private static final class Records {
        private final DataOutputStream out;
        private int copyFrom = -1;
        private int copyLength;

        Records(OutputStream out) {
            this.out = new DataOutputStream(out);
        }

        void copy(int offset, int length) throws IOException {
            if (copyFrom >= 0 && copyFrom + copyLength == offset) {
                copyLength += length;
                return;
            }
            flushCopy();
            copyFrom = offset;
            copyLength = length;
        }

        void literal(byte[] chunk, int from, int to) throws IOException {
            if (to > from) {
                flushCopy();
                out.writeByte(DeltaFormat.LITERAL);
                out.writeInt(to - from);
                out.write(chunk, from, to - from);
            }
        }

        void finish() throws IOException {
            flushCopy();
            out.flush();
        }

        private void flushCopy() throws IOException {
            if (copyFrom >= 0) {
                out.writeByte(DeltaFormat.COPY);
                out.writeInt(copyFrom);
                out.writeInt(copyLength);
                copyFrom = -1;
            }
        }
    }
}
