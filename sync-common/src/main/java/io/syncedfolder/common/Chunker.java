package io.syncedfolder.common;

import java.util.Objects;

/**
 * Finds content-defined chunk boundaries in a byte stream, FastCDC style (Xia et al., "The Design of
 * Fast Content-Defined Chunking for Data Deduplication Based Storage Systems", IEEE TPDS 2020).
 *
 * <p>A cut depends only on the bytes since the previous cut, so inserting or deleting bytes in a file
 * changes the chunk that holds the edit (and at most its neighbour) while the chunks around it keep
 * their hashes. The algorithm:
 *
 * <ul>
 *   <li><b>Gear hash.</b> For each byte {@code b}, {@code h = (h << 1) + GEAR[b]} over 64 bits; a byte's
 *       contribution shifts out after 64 bytes, so bit {@code k} of {@code h} depends on the last
 *       {@code k + 1} bytes only. A chunk ends after the byte where {@code (h & mask) == 0}.
 *   <li><b>Cut-point skipping.</b> No chunk is shorter than {@link #MIN_SIZE}, so the first
 *       {@code MIN_SIZE} bytes of a chunk are not hashed at all; {@code h} starts at 0 after them.
 *   <li><b>Normalized chunking</b> (level 2). Up to {@link #NORMAL_SIZE} the mask is {@link #MASK_S}
 *       with 22 one-bits (a cut every 4 MiB on average), after it {@link #MASK_L} with 18 one-bits (every
 *       256 KiB), and {@link #MAX_SIZE} forces a cut. Sizes therefore bunch around the normal size: on
 *       random data the mean is about 1.14 MiB, 17% of chunks end before 1 MiB, and about 5 in a million
 *       reach the maximum.
 * </ul>
 *
 * <p>The mask bits are every other bit from bit 63 down ({@code MASK_S}: bits 63, 61, … 21;
 * {@code MASK_L}: bits 63, 61, … 29). The high bits see the widest window of bytes (22 to 64), and
 * spreading them apart keeps neighbouring positions' tests from sharing bits.
 *
 * <p>The constants, the masks and {@link #GEAR_SEED} define every chunk ever stored: changing any of
 * them changes chunk hashes and defeats deduplication against existing data.
 *
 * <p>An instance carries the state of one chunk across calls, so a stream can be fed in buffers of any
 * size with the same result. It is not thread-safe.
 */
public final class Chunker {
    /** Smallest chunk, except a stream's last: 256 KiB. */
    public static final int MIN_SIZE = 256 * 1024;
    /** Chunk length at which the mask switches from {@link #MASK_S} to {@link #MASK_L}: 1 MiB. */
    public static final int NORMAL_SIZE = 1024 * 1024;
    /** Largest chunk; a chunk that finds no cut point is cut here: 4 MiB. */
    public static final int MAX_SIZE = 4 * 1024 * 1024;

    /** The stricter mask, used below {@link #NORMAL_SIZE}: 22 bits, every other bit from 63 to 21. */
    static final long MASK_S = 0xAAAA_AAAA_AAA0_0000L;
    /** The looser mask, used from {@link #NORMAL_SIZE} on: 18 bits, every other bit from 63 to 29. */
    static final long MASK_L = 0xAAAA_AAAA_A000_0000L;

    /** Seed of the gear table: the ASCII bytes of "syncfold". */
    static final long GEAR_SEED = 0x7379_6E63_666F_6C64L;
    /**
     * One random 64-bit value per byte value: the first 256 outputs of SplitMix64 (Steele, Lea, Flood
     * 2014) from {@link #GEAR_SEED}. Generated here rather than by a library generator so that it stays
     * the same on every JVM, forever.
     */
    static final long[] GEAR = splitMix64(GEAR_SEED, 256);

    /** Bytes that determine the gear hash: a byte's contribution shifts out after 64 steps. */
    private static final int WINDOW = Long.SIZE;
    /**
     * Bytes per lane of {@link #scan}. Small, because when the second lane finds a cut the first lane
     * scans the second lane's bytes again; far above {@link #WINDOW}, so starting a lane costs little
     * and the second lane starts at least {@code WINDOW} bytes into the chunk's hashed bytes, as
     * {@link #hashBefore} needs.
     */
    private static final int LANE = 4 * 1024;

    private long hash;
    private int length;

    /**
     * Scans {@code data[from, to)} as the continuation of the current chunk and returns the index just
     * past the chunk's last byte (at most {@code to}), or -1 if the chunk does not end in that range.
     *
     * <p>After a cut the next chunk starts at the returned index; call again from there. At the end of
     * the stream, whatever was scanned since the last cut is the final chunk.
     */
    public int nextCut(byte[] data, int from, int to) {
        Objects.checkFromToIndex(from, to, data.length);
        // Where the current chunk began, as an index into data; negative if it began in an earlier buffer.
        long start = (long) from - length;
        int i = (int) Math.min(to, Math.max(from, start + MIN_SIZE));
        int normalEnd = (int) Math.max(i, Math.min(to, start + NORMAL_SIZE));
        int cut = scan(data, i, normalEnd, MASK_S);
        if (cut >= 0) {
            return cut;
        }
        int maxEnd = (int) Math.max(normalEnd, Math.min(to, start + MAX_SIZE));
        cut = scan(data, normalEnd, maxEnd, MASK_L);
        if (cut >= 0) {
            return cut;
        }
        if (maxEnd == start + MAX_SIZE) {
            return cut(maxEnd);
        }
        length = (int) (maxEnd - start);
        return -1;
    }

    /**
     * Rolls the gear hash over {@code data[from, to)} and returns the index just past the first byte
     * where {@code (h & mask) == 0}, or -1 with {@link #hash} updated.
     *
     * <p>One byte at a time, each step waits for the previous {@code h}, so that chain of additions,
     * not what the core could issue, bounds the loop. Since {@code h} depends on the last
     * {@value #WINDOW} bytes only, this rolls two independent lanes in step instead, the second
     * {@value #LANE} bytes ahead and started from the hash of the {@value #WINDOW} bytes before it; the
     * second lane's end state is the first lane's start state for the next pair. A cut in the first lane
     * is the earliest. A cut in the second lane may come after one the first lane has not reached yet,
     * so the first lane then goes on one byte at a time and finds whichever comes first.
     *
     * <p>One-off measurements on the 2-core development VM, boundaries of 64 MiB of random bytes as in
     * the JMH {@code chunkBoundaries} benchmark but timed by thread CPU time, as other work kept the load
     * average at 4 to 12 (medians of 5 alternating JVM pairs): 1927 MiB/s with one lane, 2855 with two,
     * 1.48 times as fast. Unrolling one lane by 4, with the bytes' combined contributions added off the
     * chain, was no faster (more instructions per byte); 3 or 4 lanes were slower than 2.
     */
    private int scan(byte[] data, int from, int to, long mask) {
        long h = hash;
        int pair = from;
        for (; to - pair >= 2 * LANE; pair += 2 * LANE) {
            int second = pair + LANE;
            long h2 = hashBefore(data, second);
            for (int i = pair, j = second; i < second; i++, j++) {
                h = (h << 1) + GEAR[data[i] & 0xFF];
                h2 = (h2 << 1) + GEAR[data[j] & 0xFF];
                if ((h & mask) == 0) {
                    return cut(i + 1);
                }
                if ((h2 & mask) == 0) {
                    hash = h;
                    return scanOneLane(data, i + 1, to, mask);
                }
            }
            h = h2;
        }
        hash = h;
        return scanOneLane(data, pair, to, mask);
    }

    /** As {@link #scan}, one byte at a time. */
    private int scanOneLane(byte[] data, int from, int to, long mask) {
        long h = hash;
        for (int i = from; i < to; i++) {
            h = (h << 1) + GEAR[data[i] & 0xFF];
            if ((h & mask) == 0) {
                return cut(i + 1);
            }
        }
        hash = h;
        return -1;
    }

    /**
     * Returns the gear hash of {@code data[at - WINDOW, at)}: the hash just before {@code at} whenever
     * the chunk's hashing began at or before {@code at - WINDOW}, as older bytes have shifted out.
     */
    private static long hashBefore(byte[] data, int at) {
        long h = 0;
        for (int i = at - WINDOW; i < at; i++) {
            h = (h << 1) + GEAR[data[i] & 0xFF];
        }
        return h;
    }

    private int cut(int end) {
        hash = 0;
        length = 0;
        return end;
    }

    /** Returns the first {@code count} outputs of SplitMix64 started from {@code seed}. */
    static long[] splitMix64(long seed, int count) {
        long[] values = new long[count];
        long state = seed;
        for (int i = 0; i < count; i++) {
            state += 0x9E37_79B9_7F4A_7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
            values[i] = z ^ (z >>> 31);
        }
        return values;
    }
}
