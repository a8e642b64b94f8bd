package io.syncedfolder.common.protocol;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes a {@link DeltaFormat} delta of a chunk against a base, the way rsync matches blocks: every
 * {@value #BLOCK}-byte block of the base is indexed by a rolling hash, the chunk is scanned byte by byte for
 * those blocks, and each match is grown both ways as far as the bytes agree. Bytes inserted, deleted or changed
 * anywhere, even in several places, cost about their own length; content the base does not have is sent as is.
 */
public final class DeltaWriter {
    /** Bytes of one indexed block: the least the base must share with the chunk for a copy to be found. */
    static final int BLOCK = 64;
    private static final long MULTIPLIER = 0x100000001B3L;
    /** MULTIPLIER to the power BLOCK - 1, which takes the byte leaving the window out of the rolling hash. */
    private static final long OUTGOING = power(MULTIPLIER, BLOCK - 1);

    private final byte[] base;
    /** Per slot: 1 + the offset of a base block whose hash falls there, 0 for none. */
    private final int[] offsets;
    /** Per slot: the low bits of that block's hash, to skip comparing bytes on most false hits. */
    private final int[] checks;
    private final int shift;

    private DeltaWriter(byte[] base) {
        this.base = base;
        int blocks = base.length / BLOCK;
        int bits = Math.max(4, 33 - Integer.numberOfLeadingZeros(Math.max(1, blocks)));
        this.shift = 64 - bits;
        this.offsets = new int[1 << bits];
        this.checks = new int[1 << bits];
        for (int offset = (blocks - 1) * BLOCK; offset >= 0; offset -= BLOCK) {
            long hash = hash(base, offset);
            int slot = slot(hash);
            offsets[slot] = offset + 1; // going backwards, the earliest block with this slot wins
            checks[slot] = (int) hash;
        }
    }

    /** Writes the delta that rebuilds {@code chunk} from {@code base} to {@code out}, which the caller closes. */
    public static void write(byte[] base, byte[] chunk, OutputStream out) throws IOException {
        DataOutputStream records = new DataOutputStream(out);
        new DeltaWriter(base).scan(chunk, records);
        records.flush();
    }

    private void scan(byte[] chunk, DataOutputStream out) throws IOException {
        int literalFrom = 0;
        int at = 0;
        long hash = chunk.length >= BLOCK ? hash(chunk, 0) : 0;
        while (at + BLOCK <= chunk.length) {
            int match = matchAt(hash, chunk, at);
            if (match < 0) {
                if (at + BLOCK < chunk.length) {
                    hash = (hash - chunk[at] * OUTGOING) * MULTIPLIER + chunk[at + BLOCK];
                }
                at++;
                continue;
            }
            int back = 0;
            while (at - back > literalFrom && match - back > 0 && base[match - back - 1] == chunk[at - back - 1]) {
                back++;
            }
            int differ = Arrays.mismatch(base, match + BLOCK, base.length, chunk, at + BLOCK, chunk.length);
            int ahead = differ < 0 ? Math.min(base.length - match, chunk.length - at) - BLOCK : differ;
            literal(chunk, literalFrom, at - back, out);
            out.writeByte(DeltaFormat.COPY);
            out.writeInt(match - back);
            out.writeInt(back + BLOCK + ahead);
            at += BLOCK + ahead;
            literalFrom = at;
            if (at + BLOCK <= chunk.length) {
                hash = hash(chunk, at);
            }
        }
        literal(chunk, literalFrom, chunk.length, out);
    }

    /** Returns the base offset of a block equal to {@code chunk}'s bytes at {@code at}, or -1. */
    private int matchAt(long hash, byte[] chunk, int at) {
        int slot = slot(hash);
        int offset = offsets[slot] - 1;
        if (offset < 0 || checks[slot] != (int) hash
                || Arrays.mismatch(base, offset, offset + BLOCK, chunk, at, at + BLOCK) >= 0) {
            return -1;
        }
        return offset;
    }

    private static void literal(byte[] chunk, int from, int to, DataOutputStream out) throws IOException {
        if (to > from) {
            out.writeByte(DeltaFormat.LITERAL);
            out.writeInt(to - from);
            out.write(chunk, from, to - from);
        }
    }

    private int slot(long hash) {
        return (int) ((hash * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private static long hash(byte[] bytes, int from) {
        long hash = 0;
        for (int i = from; i < from + BLOCK; i++) {
            hash = hash * MULTIPLIER + bytes[i];
        }
        return hash;
    }

    private static long power(long base, int exponent) {
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= base;
        }
        return result;
    }
}
