package io.syncedfolder.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DeltaWriter} and {@link DeltaReader}: a chunk rebuilt from a base or from a base's {@link BlockSignature},
 * and what its delta costs.
 */
class DeltaTest {
    private static final int MIB = 1024 * 1024;

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] delta(byte[] base, byte[] chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeltaWriter.write(base, chunk, out);
        return out.toByteArray();
    }

    /** Returns the delta after checking that it rebuilds {@code chunk} from {@code base}. */
    private static byte[] roundTrip(byte[] base, byte[] chunk) throws IOException {
        byte[] delta = delta(base, chunk);
        assertThat(DeltaReader.rebuild(base, new ByteArrayInputStream(delta), chunk.length)).isEqualTo(chunk);
        return delta;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] result = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at, result, at + inserted.length, bytes.length - at);
        return result;
    }

    private static byte[] delete(byte[] bytes, int at, int length) {
        byte[] result = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(bytes, at + length, result, at, bytes.length - at - length);
        return result;
    }

    @Test
    void tenBytesInsertedInTheMiddleOfAMebibyteCostAboutTenBytes() throws IOException {
        byte[] base = random(1, MIB);
        byte[] chunk = insert(base, MIB / 2 + 7, "0123456789".getBytes());
        // A copy, the ten bytes as a literal, a copy: 9 + 15 + 9 bytes.
        assertThat(roundTrip(base, chunk)).hasSize(33);
    }

    @Test
    void deletedAndOverwrittenBytesCostAboutTheirOwnLength() throws IOException {
        byte[] base = random(2, MIB);
        byte[] chunk = delete(base, 1000, 300);
        chunk[400_000] ^= 1;
        Arrays.fill(chunk, 700_000, 700_100, (byte) 7);
        assertThat(roundTrip(base, chunk).length).isLessThan(400);
    }

    @Test
    void editsNearTheEndsAndMovedBlocksAreFound() throws IOException {
        byte[] base = random(3, 256 * 1024);
        byte[] moved = new byte[base.length];
        int half = base.length / 2;
        System.arraycopy(base, half, moved, 0, half); // the halves swapped
        System.arraycopy(base, 0, moved, half, half);
        assertThat(roundTrip(base, moved)).hasSize(18);
        byte[] edgeEdits = base.clone();
        edgeEdits[0] ^= 1;
        edgeEdits[edgeEdits.length - 1] ^= 1;
        assertThat(roundTrip(base, edgeEdits).length).isLessThan(40);
    }

    @Test
    void identicalChunkIsOneCopy() throws IOException {
        byte[] base = random(4, 300_000);
        assertThat(roundTrip(base, base.clone())).hasSize(9);
    }

    @Test
    void contentTheBaseDoesNotHaveIsSentAsIs() throws IOException {
        byte[] chunk = random(6, MIB);
        assertThat(roundTrip(random(5, MIB), chunk)).hasSize(5 + MIB);
        assertThat(roundTrip(new byte[0], chunk)).hasSize(5 + MIB);
    }

    @Test
    void emptyAndTinyChunksAndBases() throws IOException {
        byte[] base = random(7, 1000);
        assertThat(roundTrip(base, new byte[0])).isEmpty();
        assertThat(roundTrip(base, Arrays.copyOf(base, 10))).hasSize(15);
        assertThat(roundTrip(Arrays.copyOf(base, 10), base)).hasSize(5 + 1000);
        assertThat(roundTrip(new byte[0], new byte[0])).isEmpty();
    }

    @Test
    void repetitiveContentRoundTrips() throws IOException {
        byte[] zeros = new byte[200_000];
        byte[] chunk = insert(zeros, 12_345, new byte[] {1, 2, 3});
        assertThat(roundTrip(zeros, chunk).length).isLessThan(40);
    }

    @Test
    void randomEditsAlwaysRebuildTheChunk() throws IOException {
        long seed = 20_261_202;
        System.out.printf("random edits: SplittableRandom seed %d%n", seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 300; round++) {
            byte[] base = random.nextInt(4) == 0
                    ? Arrays.copyOf(random(random.nextLong(), 16), random.nextInt(5000)) // mostly zeros
                    : random(random.nextLong(), random.nextInt(20_000));
            byte[] chunk = base.clone();
            int edits = random.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                switch (random.nextInt(3)) {
                    case 0 -> chunk = insert(chunk, at, random(random.nextLong(), random.nextInt(200)));
                    case 1 -> chunk = delete(chunk, at, random.nextInt(Math.min(200, chunk.length - at) + 1));
                    default -> {
                        if (chunk.length > 0) {
                            chunk[at] ^= (byte) (1 + random.nextInt(255));
                        }
                    }
                }
            }
            roundTrip(base, chunk);
        }
    }

    private static BlockSignature signature(byte[] base, int blockSize) throws IOException {
        return BlockSignature.of(new ByteArrayInputStream(base), base.length, blockSize);
    }

    /** Returns the delta against {@code base}'s signature after checking that it rebuilds {@code chunk}. */
    private static byte[] roundTripBySignature(byte[] base, byte[] chunk, int blockSize) throws IOException {
        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        signature(base, blockSize).writeTo(signature);
        BlockSignature received = BlockSignature.read(new ByteArrayInputStream(signature.toByteArray()), base.length);
        ByteArrayOutputStream delta = new ByteArrayOutputStream();
        DeltaWriter.write(received, chunk, delta);
        assertThat(DeltaReader.rebuild(base, new ByteArrayInputStream(delta.toByteArray()), chunk.length))
                .isEqualTo(chunk);
        return delta.toByteArray();
    }

    @Test
    void againstASignatureTenBytesInsertedCostAboutABlock() throws IOException {
        byte[] base = random(11, MIB);
        byte[] chunk = insert(base, MIB / 2 + 7, "0123456789".getBytes());
        assertThat(signature(base, BlockSignature.BLOCK_SIZE).length()).isEqualTo(4 + 1024 * 12);
        // A copy, the block around the insertion plus the ten bytes as a literal, a copy.
        assertThat(roundTripBySignature(base, chunk, BlockSignature.BLOCK_SIZE)).hasSize(9 + 5 + 1024 + 10 + 9);
        assertThat(roundTripBySignature(base, base, BlockSignature.BLOCK_SIZE)).hasSize(9);
    }

    @Test
    void againstASignatureMovedBlocksAndTheBasesTailAreHandled() throws IOException {
        byte[] base = random(12, 100_000); // 97 whole blocks of 1 KiB and a tail of 672 bytes
        byte[] swapped = new byte[base.length];
        System.arraycopy(base, 50 * 1024, swapped, 0, base.length - 50 * 1024);
        System.arraycopy(base, 0, swapped, base.length - 50 * 1024, 50 * 1024);
        byte[] delta = roundTripBySignature(base, swapped, 1024);
        assertThat(delta.length).as("the tail is sent, the rest copied").isLessThan(9 + 5 + 672 + 9 + 9);
        assertThat(roundTripBySignature(base, new byte[0], 1024)).isEmpty();
        assertThat(roundTripBySignature(new byte[10], base, 1024)).hasSize(5 + base.length);
    }

    @Test
    void randomEditsAgainstASignatureAlwaysRebuildTheChunk() throws IOException {
        long seed = 20_261_203;
        System.out.printf("random edits against signatures: SplittableRandom seed %d%n", seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            byte[] base = random.nextInt(4) == 0
                    ? new byte[random.nextInt(5000)]
                    : random(random.nextLong(), random.nextInt(20_000));
            byte[] chunk = base.clone();
            for (int e = random.nextInt(4); e > 0; e--) {
                int at = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                chunk = random.nextBoolean() ? insert(chunk, at, random(random.nextLong(), random.nextInt(100)))
                        : delete(chunk, at, random.nextInt(Math.min(100, chunk.length - at) + 1));
            }
            roundTripBySignature(base, chunk, 16 + random.nextInt(200));
        }
    }

    /**
     * A signature whose block of zeros carries a wrong SHA-256 makes every offset of a run of zeros a candidate that
     * fails. Past a bound the writer stops confirming candidates (each costs a SHA-256 over a block), so even the
     * block that does match, after 4 MiB of zeros, is sent as a literal: the cost is bounded, the delta still right.
     */
    @Test
    void aSignatureThatFailsEverywhereIsGivenUpOnAfterABound() throws IOException {
        int blockSize = 64 * 1024;
        byte[] block = random(13, blockSize);
        byte[] base = new byte[2 * blockSize]; // a block of zeros, then the random block
        System.arraycopy(block, 0, base, blockSize, blockSize);
        ByteArrayOutputStream signature = new ByteArrayOutputStream();
        signature(base, blockSize).writeTo(signature);
        byte[] lying = signature.toByteArray();
        lying[4 + 4] ^= 1; // the zero block's SHA-256 prefix
        byte[] chunk = new byte[4 * MIB + blockSize]; // 4 MiB of zeros, then the random block
        System.arraycopy(block, 0, chunk, 4 * MIB, blockSize);

        ByteArrayOutputStream delta = new ByteArrayOutputStream();
        DeltaWriter.write(BlockSignature.read(new ByteArrayInputStream(lying), base.length), chunk, delta);

        assertThat(delta.size()).as("one literal, no copy").isEqualTo(5 + chunk.length);
        assertThat(DeltaReader.rebuild(base, new ByteArrayInputStream(delta.toByteArray()), chunk.length))
                .isEqualTo(chunk);
        ByteArrayOutputStream honest = new ByteArrayOutputStream();
        DeltaWriter.write(signature(base, blockSize), chunk, honest);
        assertThat(honest.size()).as("the honest signature finds both blocks").isLessThan(1000);
    }

    @Test
    void malformedSignaturesAreRefused() {
        assertThatThrownBy(() -> BlockSignature.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 8}), 100))
                .hasMessage("a signature with blocks of 8 bytes");
        assertThatThrownBy(() -> BlockSignature.read(new ByteArrayInputStream(new byte[] {0, 1, 0, 1}), 1 << 20))
                .hasMessage("a signature with blocks of 65537 bytes");
        assertThatThrownBy(() -> BlockSignature.read(new ByteArrayInputStream(new byte[] {0, 0, 4}), 100))
                .hasMessage("the signature ends inside a block");
        byte[] twoBlocks = new byte[4 + 2 * 12];
        twoBlocks[3] = 16;
        assertThatThrownBy(() -> BlockSignature.read(new ByteArrayInputStream(twoBlocks), 31))
                .hasMessage("a signature of more blocks than a chunk of 31 bytes has");
        assertThatThrownBy(() -> BlockSignature.read(new ByteArrayInputStream(Arrays.copyOf(twoBlocks, 20)), 32))
                .hasMessage("the signature ends inside a block");
    }

    /** The server's way: the base read from its file as the delta asks, the chunk read in small pieces. */
    @Test
    void aChunkStreamsFromABaseOnDiskInPiecesOfAnySize(@TempDir Path dir) throws IOException {
        byte[] base = random(14, MIB);
        byte[] chunk = insert(delete(base, 1000, 5000), MIB / 2, "0123456789".getBytes());
        byte[] delta = delta(base, chunk);
        Path file = Files.write(dir.resolve("base"), base);
        try (FileChannel channel = FileChannel.open(file)) {
            for (int piece : new int[] {1, 7, 4096, MIB}) {
                InputStream rebuilt = DeltaReader.stream(DeltaBase.of(channel, base.length),
                        new ByteArrayInputStream(delta), chunk.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[piece];
                for (int n; (n = rebuilt.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
                assertThat(out.toByteArray()).as("read %d bytes at a time", piece).isEqualTo(chunk);
            }
            Files.write(file, Arrays.copyOf(base, 100)); // the base file lost its tail
            InputStream rebuilt = DeltaReader.stream(DeltaBase.of(channel, base.length),
                    new ByteArrayInputStream(delta), chunk.length);
            assertThatThrownBy(rebuilt::readAllBytes).as("the receiver's fault, not the delta's")
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
        }
    }

    /** A delta of one-byte records, as a hostile sender may make: read across records into whole buffers. */
    @Test
    void aDeltaOfOneByteRecordsFillsWholeBuffers(@TempDir Path dir) throws IOException {
        byte[] base = random(15, 5000);
        ByteBuffer delta = ByteBuffer.allocate(4000 * 9 + 1000 * 6);
        byte[] chunk = new byte[5000];
        for (int i = 0; i < 5000; i++) {
            if (i % 5 == 0) {
                delta.put(DeltaFormat.LITERAL).putInt(1).put((byte) i);
                chunk[i] = (byte) i;
            } else {
                delta.put(DeltaFormat.COPY).putInt(4999 - i).putInt(1);
                chunk[i] = base[4999 - i];
            }
        }
        Path file = Files.write(dir.resolve("base"), base);
        try (FileChannel channel = FileChannel.open(file)) {
            InputStream rebuilt = DeltaReader.stream(DeltaBase.of(channel, base.length),
                    new ByteArrayInputStream(delta.array()), chunk.length);
            byte[] buffer = new byte[8192];

            assertThat(rebuilt.read(buffer)).as("all records in one read").isEqualTo(5000);
            assertThat(Arrays.copyOf(buffer, 5000)).isEqualTo(chunk);
            assertThat(rebuilt.read(buffer)).isEqualTo(-1);
        }
    }

    /** Jetty's "early EOF" of a broken connection is an EOFException too: only the delta's own end is malformed. */
    @Test
    void aBrokenStreamInsideARecordIsNotAMalformedDelta() {
        InputStream broken = new InputStream() {
            private final byte[] start = {DeltaFormat.COPY, 0, 0};
            private int next;

            @Override
            public int read() throws IOException {
                if (next < start.length) {
                    return start[next++];
                }
                throw new EOFException("early EOF") { };
            }
        };

        assertThatThrownBy(() -> DeltaReader.rebuild(new byte[100], broken, 10))
                .isInstanceOf(EOFException.class).isNotInstanceOf(DeltaReader.DeltaFormatException.class)
                .hasMessage("early EOF");
    }

    @Test
    void aSignatureOfAChunkThatEndsEarlyIsRefused() {
        assertThatThrownBy(() -> BlockSignature.of(new ByteArrayInputStream(new byte[2000]), 3000, 1024))
                .isInstanceOf(EOFException.class).hasMessage("the chunk ends before its 3000 bytes");
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformedDeltas")
    void malformedDeltasAreRefused(byte[] delta, String message) {
        byte[] base = random(8, 100);

        assertThatThrownBy(() -> DeltaReader.rebuild(base, new ByteArrayInputStream(delta), 10))
                .isInstanceOf(DeltaReader.DeltaFormatException.class)
                .hasMessageContaining(message);
    }

    /** Deltas of a 10-byte chunk against a 100-byte base, each broken in one way, with what the reader says. */
    static Stream<Arguments> malformedDeltas() {
        return Stream.of(
                Arguments.of(new byte[] {'X'}, "unknown record tag 88"),
                Arguments.of(record(DeltaFormat.COPY, 95, 10),
                        "a copy of 10 bytes from offset 95 lies outside the base of 100 bytes"),
                Arguments.of(record(DeltaFormat.COPY, -1, 1), "lies outside the base"),
                Arguments.of(record(DeltaFormat.LITERAL, 11), "a record of 11 bytes where 10 are left"),
                Arguments.of(record(DeltaFormat.COPY, 0, 0), "a record of 0 bytes where 10 are left"),
                Arguments.of(Arrays.copyOf(record(DeltaFormat.LITERAL, 5), 8), "the delta ends inside a record"),
                Arguments.of(Arrays.copyOf(record(DeltaFormat.COPY, 0), 3), "the delta ends inside a record"),
                Arguments.of(record(DeltaFormat.COPY, 0, 4), "the delta makes 4 bytes of a chunk of 10"),
                Arguments.of(concat(record(DeltaFormat.COPY, 0, 10), record(DeltaFormat.LITERAL, 1)),
                        "a record of 1 bytes where 0 are left"));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** A record's tag and its fields, four bytes each, as the delta format writes them. */
    private static byte[] record(int tag, int... fields) {
        ByteBuffer record = ByteBuffer.allocate(1 + 4 * fields.length).put((byte) tag);
        for (int field : fields) {
            record.putInt(field);
        }
        return record.array();
    }
}
