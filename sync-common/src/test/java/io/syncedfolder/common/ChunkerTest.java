package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    /** Seed of the 16 MiB test vector input, {@code SplitMix64.bytes(VECTOR_SEED, 16 MiB)}. */
    static final long VECTOR_SEED = 16;
    static final int VECTOR_LENGTH = 16 * 1024 * 1024;
    /**
     * The chunk sizes of the vector input. An independent Python implementation of the algorithm in
     * {@link Chunker}'s Javadoc gives the same list; if this test fails, chunk boundaries have changed.
     */
    static final List<Integer> VECTOR_CHUNK_SIZES = List.of(
            1_088_163, 1_481_645, 589_608, 1_071_050, 1_190_221, 1_297_304, 523_298, 1_065_758,
            1_609_111, 1_069_010, 1_455_781, 1_243_282, 1_388_624, 1_096_198, 608_163);

    @Test
    void gearTableIsSplitMix64FromTheDocumentedSeed() {
        // The first outputs of the reference splitmix64.c from seed 0 check the test's own generator.
        SplitMix64 reference = new SplitMix64(0);
        assertThat(LongStream.generate(reference::next).limit(3).toArray())
                .containsExactly(0xE220A8397B1DCDAFL, 0x6E789E6AA1B965F4L, 0x06C45D188009454FL);

        assertThat(Chunker.GEAR_SEED)
                .isEqualTo(ByteBuffer.wrap("syncfold".getBytes(StandardCharsets.US_ASCII)).getLong());
        SplitMix64 gear = new SplitMix64(Chunker.GEAR_SEED);
        assertThat(Chunker.GEAR).containsExactly(LongStream.generate(gear::next).limit(256).toArray());
    }

    @Test
    void cutsTheVectorInputAtTheRecordedBoundaries() {
        System.out.printf("vector input: SplitMix64 seed %d, %d bytes%n", VECTOR_SEED, VECTOR_LENGTH);
        byte[] data = SplitMix64.bytes(VECTOR_SEED, VECTOR_LENGTH);

        assertThat(chunkSizes(data, piece -> data.length)).isEqualTo(VECTOR_CHUNK_SIZES);
    }

    @Test
    void boundariesDoNotDependOnHowTheInputIsFed() {
        byte[] data = SplitMix64.bytes(VECTOR_SEED, VECTOR_LENGTH);

        assertThat(chunkSizes(data, piece -> 1 + piece % 7)).isEqualTo(VECTOR_CHUNK_SIZES);
        assertThat(chunkSizes(data, piece -> 3 * 1024 * 1024 + 1)).isEqualTo(VECTOR_CHUNK_SIZES);
        assertThat(chunkSizes(data, piece -> Chunker.MIN_SIZE)).isEqualTo(VECTOR_CHUNK_SIZES);
    }

    @Test
    void matchesTheOneByteAtATimeReference() {
        byte[] random = SplitMix64.bytes(5, 12 * 1024 * 1024);
        byte[] fourSymbols = random.clone();
        for (int i = 0; i < fourSymbols.length; i++) {
            fourSymbols[i] &= 3;
        }
        for (int period : new int[] {100, 4099, 70_001}) {
            byte[] repeating = new byte[12 * 1024 * 1024];
            for (int i = 0; i < repeating.length; i++) {
                repeating[i] = random[i % period];
            }
            assertThat(chunkSizes(repeating, piece -> repeating.length))
                    .as("period %d", period)
                    .isEqualTo(referenceChunkSizes(repeating));
        }
        assertThat(chunkSizes(random, piece -> random.length)).isEqualTo(referenceChunkSizes(random));
        assertThat(chunkSizes(fourSymbols, piece -> 65_537)).isEqualTo(referenceChunkSizes(fourSymbols));
    }

    @Test
    void matchesTheReferenceOnRandomInputsFedInRandomPieces() {
        long seed = 20_261_202;
        System.out.printf("random inputs: SplittableRandom seed %d%n", seed);
        SplittableRandom random = new SplittableRandom(seed);
        int chunks = 0;
        for (int round = 0; round < 60; round++) {
            byte[] data = randomInput(random);
            List<Integer> expected = referenceChunkSizes(data);

            assertThat(chunkSizes(data, piece -> data.length)).as("round %d, whole", round).isEqualTo(expected);
            assertThat(chunkSizes(data, piece -> randomPieceLength(random)))
                    .as("round %d, in pieces", round)
                    .isEqualTo(expected);
            chunks += expected.size();
        }
        System.out.printf("random inputs: %d chunks matched%n", chunks);
    }

    @Test
    void chunksStayWithinTheSizeBounds() {
        long seed = 64;
        byte[] data = SplitMix64.bytes(seed, 64 * 1024 * 1024);

        List<Integer> sizes = chunkSizes(data, piece -> data.length);

        System.out.printf("seed %d, 64 MiB: %d chunks, mean %d bytes%n",
                seed, sizes.size(), data.length / sizes.size());
        assertThat(sizes.subList(0, sizes.size() - 1)).allSatisfy(size ->
                assertThat(size).isGreaterThan(Chunker.MIN_SIZE).isLessThanOrEqualTo(Chunker.MAX_SIZE));
        assertThat(sizes.get(sizes.size() - 1)).isLessThanOrEqualTo(Chunker.MAX_SIZE);
    }

    @Test
    void allZeroInputIsCutAtTheMaximumSize() {
        byte[] zeros = new byte[2 * Chunker.MAX_SIZE + 5];

        assertThat(chunkSizes(zeros, piece -> zeros.length))
                .containsExactly(Chunker.MAX_SIZE, Chunker.MAX_SIZE, 5);
    }

    @Test
    void inputUpToTheMinimumSizeHasNoCut() {
        byte[] data = SplitMix64.bytes(1, Chunker.MIN_SIZE);

        assertThat(new Chunker().nextCut(data, 0, data.length)).isEqualTo(-1);
    }

    /** Returns the chunk sizes of {@code data} by the algorithm in {@link Chunker}'s Javadoc, one byte at a time. */
    static List<Integer> referenceChunkSizes(byte[] data) {
        List<Integer> sizes = new ArrayList<>();
        for (int start = 0, cut; start < data.length; start = cut) {
            int end = Math.min(data.length, start + Chunker.MAX_SIZE);
            cut = end;
            long h = 0;
            for (int i = start + Chunker.MIN_SIZE; i < end; i++) {
                h = (h << 1) + Chunker.GEAR[data[i] & 0xFF];
                long mask = i - start < Chunker.NORMAL_SIZE ? Chunker.MASK_S : Chunker.MASK_L;
                if ((h & mask) == 0) {
                    cut = i + 1;
                    break;
                }
            }
            sizes.add(cut - start);
        }
        return sizes;
    }

    /**
     * Returns up to 10 MiB of random bytes, some with only four byte values, with clusters of planted cut
     * points a few KiB apart: far more cuts close together than random bytes give, and so more cuts in
     * both of {@link Chunker}'s lanes and at lane and buffer edges.
     */
    private static byte[] randomInput(SplittableRandom random) {
        int length = random.nextInt(4) == 0
                ? random.nextInt(2 * Chunker.MIN_SIZE)
                : random.nextInt(10 * 1024 * 1024);
        byte[] data = SplitMix64.bytes(random.nextLong(), length);
        if (random.nextInt(4) == 0) {
            for (int i = 0; i < data.length; i++) {
                data[i] &= 3;
            }
        }
        for (int cluster = random.nextInt(40); cluster > 0 && length > 100_000; cluster--) {
            int at = random.nextInt(length - 40_000);
            for (int cuts = 1 + random.nextInt(3); cuts > 0; cuts--) {
                at += 64 + random.nextInt(10_000);
                plantCut(data, at, random.nextInt(8) == 0 ? Chunker.MASK_S : Chunker.MASK_L);
            }
        }
        return data;
    }

    /**
     * Rewrites {@code data[at - 2, at]}, if some three bytes do it, so that the gear hash of the 64 bytes
     * ending at {@code at} passes {@code mask}: a cut after {@code at} unless a chunk starts nearby.
     */
    private static void plantCut(byte[] data, int at, long mask) {
        long prefix = 0;
        for (int i = at - 63; i < at - 2; i++) {
            prefix = (prefix << 1) + Chunker.GEAR[data[i] & 0xFF];
        }
        for (int x = 0; x < 256; x++) {
            for (int y = 0; y < 256; y++) {
                long partial = (prefix << 3) + (Chunker.GEAR[x] << 2) + (Chunker.GEAR[y] << 1);
                for (int z = 0; z < 256; z++) {
                    if (((partial + Chunker.GEAR[z]) & mask) == 0) {
                        data[at - 2] = (byte) x;
                        data[at - 1] = (byte) y;
                        data[at] = (byte) z;
                        return;
                    }
                }
            }
        }
    }

    /** Returns a piece length as a reader might see: a few bytes, a few KiB, or up to 2 MiB. */
    private static int randomPieceLength(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> 1 + random.nextInt(16);
            case 1 -> 1 + random.nextInt(10_000);
            default -> 1 + random.nextInt(2 * 1024 * 1024);
        };
    }

    /**
     * Returns the chunk sizes of {@code data}, fed to one chunker in pieces of {@code pieceLength(k)}
     * bytes, each copied to the start of a scratch buffer as a stream reader would.
     */
    static List<Integer> chunkSizes(byte[] data, IntUnaryOperator pieceLength) {
        Chunker chunker = new Chunker();
        List<Integer> sizes = new ArrayList<>();
        byte[] scratch = new byte[0];
        long chunkStart = 0;
        int from = 0;
        for (int piece = 0; from < data.length; piece++) {
            int length = Math.min(data.length - from, pieceLength.applyAsInt(piece));
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            System.arraycopy(data, from, scratch, 0, length);
            for (int pos = 0, cut; (cut = chunker.nextCut(scratch, pos, length)) >= 0; pos = cut) {
                sizes.add((int) (from + cut - chunkStart));
                chunkStart = from + cut;
            }
            from += length;
        }
        if (chunkStart < data.length) {
            sizes.add((int) (data.length - chunkStart));
        }
        return sizes;
    }
}
