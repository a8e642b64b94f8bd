package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigesterTest {
    private static final int MIB = 1024 * 1024;
    private static final long EDIT_SEED = 64;
    private static final byte[] EDIT_INPUT = SplitMix64.bytes(EDIT_SEED, 64 * MIB);

    @Test
    void knownVectors() throws IOException {
        FileDigest abc = FileDigester.digest(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(abc.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(abc.size()).isEqualTo(3);
        assertThat(abc.chunks()).containsExactly(new ChunkRef(abc.sha256(), 3));
    }

    @Test
    void emptyContentHasNoChunks() throws IOException {
        FileDigest empty = FileDigester.digest(new ByteArrayInputStream(new byte[0]));
        assertThat(empty.sha256()).isEqualTo(Hashing.EMPTY_SHA256)
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(empty.size()).isZero();
        assertThat(empty.chunks()).isEmpty();
    }

    @Test
    void contentWithoutACutPointIsOneChunkWithTheWholeFileHash() throws IOException {
        for (int length : new int[] {1, 4096, Chunker.MIN_SIZE - 1, Chunker.MIN_SIZE}) {
            byte[] data = SplitMix64.bytes(length, length);

            FileDigest digest = FileDigester.digest(new ByteArrayInputStream(data));

            assertThat(digest.sha256()).isEqualTo(Hashing.sha256Hex(data));
            assertThat(digest.chunks()).containsExactly(new ChunkRef(digest.sha256(), length));
        }
    }

    @Test
    void vectorInputHasTheRecordedDigest() throws IOException {
        byte[] data = SplitMix64.bytes(ChunkerTest.VECTOR_SEED, ChunkerTest.VECTOR_LENGTH);

        FileDigest digest = FileDigester.digest(new ByteArrayInputStream(data));

        assertThat(digest.sha256()).isEqualTo("84c50204a5a34b7b32007fe27c17307c8df5cb0964382630bbdb29abdde2f62b");
        assertThat(digest.size()).isEqualTo(data.length);
        assertThat(digest.chunks()).extracting(chunk -> (int) chunk.size())
                .isEqualTo(ChunkerTest.VECTOR_CHUNK_SIZES);
        assertThat(digest.chunks().get(0).sha256())
                .isEqualTo("2c6f96622b66d09f72ecbddb7da7b09ca4ba45b0938ccee6fc9da61251d93c14");
        assertThat(digest.chunks().get(digest.chunks().size() - 1).sha256())
                .isEqualTo("541b21c6d06cdaa9fe81ca881effe47da2bcbc88dfb7ba63674d97745e632d25");
    }

    @Test
    void chunksConcatenateToTheContent() throws IOException {
        byte[] data = SplitMix64.bytes(ChunkerTest.VECTOR_SEED, ChunkerTest.VECTOR_LENGTH);

        FileDigest digest = FileDigester.digest(new ByteArrayInputStream(data));

        int offset = 0;
        for (ChunkRef chunk : digest.chunks()) {
            int end = offset + (int) chunk.size();
            assertThat(chunk.sha256()).isEqualTo(Hashing.sha256Hex(Arrays.copyOfRange(data, offset, end)));
            offset = end;
        }
        assertThat(offset).isEqualTo(data.length);
    }

    @Test
    void aStreamReturningFewBytesPerReadGivesTheSameDigest() throws IOException {
        byte[] data = SplitMix64.bytes(ChunkerTest.VECTOR_SEED, ChunkerTest.VECTOR_LENGTH);

        assertThat(FileDigester.digest(new TrickleStream(data)))
                .isEqualTo(FileDigester.digest(new ByteArrayInputStream(data)));
    }

    @Test
    void singleThreadAndPipelineGiveTheSameDigest(@TempDir Path dir) throws IOException {
        byte[] data = SplitMix64.bytes(3, 20 * MIB + 12_345);
        Path file = dir.resolve("big");
        Files.write(file, data);

        FileDigest singleThread =
                FileDigester.digest(new ByteArrayInputStream(data), FileDigester.BUFFER_SIZE, Long.MAX_VALUE);

        assertThat(singleThread.sha256()).isEqualTo(Hashing.sha256Hex(data));
        assertThat(singleThread.chunks()).hasSizeGreaterThan(10);
        assertThat(FileDigester.digest(new ByteArrayInputStream(data), FileDigester.BUFFER_SIZE, 0))
                .isEqualTo(singleThread);
        assertThat(FileDigester.digest(new ByteArrayInputStream(data), 8192, FileDigester.PIPELINE_THRESHOLD))
                .isEqualTo(singleThread);
        assertThat(FileDigester.digest(file)).isEqualTo(singleThread);
    }

    @Test
    void aReadFailureDuringThePipelineIsThrownAndEndsTheHelperThread() throws InterruptedException {
        InputStream failing = new SequenceInputStream(
                new ByteArrayInputStream(SplitMix64.bytes(4, 12 * MIB)),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("disk gone");
                    }
                });

        assertThatThrownBy(() -> FileDigester.digest(failing)).isInstanceOf(IOException.class).hasMessage("disk gone");

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (helperThreadsAlive() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(helperThreadsAlive()).isZero();
    }

    @Test
    void smallFileIsDigestedFromItsPath(@TempDir Path dir) throws IOException {
        byte[] data = "hello\n".getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("small");
        Files.write(file, data);

        FileDigest digest = FileDigester.digest(file);

        assertThat(digest.sha256()).isEqualTo(Hashing.sha256Hex(data));
        assertThat(digest.chunks()).containsExactly(new ChunkRef(digest.sha256(), data.length));
    }

    @Test
    void tenBytesInsertedInTheMiddleChangeAtMostTwoChunks() throws IOException {
        int middle = EDIT_INPUT.length / 2;
        byte[] edited = new byte[EDIT_INPUT.length + 10];
        System.arraycopy(EDIT_INPUT, 0, edited, 0, middle);
        Arrays.fill(edited, middle, middle + 10, (byte) '!');
        System.arraycopy(EDIT_INPUT, middle, edited, middle + 10, EDIT_INPUT.length - middle);

        int changed = newChunks(EDIT_INPUT, edited);

        System.out.printf("seed %d, 64 MiB, 10 bytes inserted in the middle: %d new chunk(s)%n", EDIT_SEED, changed);
        assertThat(changed).isBetween(1, 2);
    }

    @Test
    void bytesDeletedFromTheMiddleChangeAtMostTwoChunks() throws IOException {
        int middle = EDIT_INPUT.length / 2;
        int deleted = 1000;
        byte[] edited = new byte[EDIT_INPUT.length - deleted];
        System.arraycopy(EDIT_INPUT, 0, edited, 0, middle);
        System.arraycopy(EDIT_INPUT, middle + deleted, edited, middle, EDIT_INPUT.length - middle - deleted);

        int changed = newChunks(EDIT_INPUT, edited);

        System.out.printf("seed %d, 64 MiB, %d bytes deleted from the middle: %d new chunk(s)%n",
                EDIT_SEED, deleted, changed);
        assertThat(changed).isBetween(1, 2);
    }

    @Test
    void recognisesHashFormat() {
        assertThat(Hashing.isSha256Hex(Hashing.EMPTY_SHA256)).isTrue();
        assertThat(Hashing.isSha256Hex(Hashing.EMPTY_SHA256.toUpperCase())).isFalse();
        assertThat(Hashing.isSha256Hex("../../etc/passwd")).isFalse();
        assertThat(Hashing.isSha256Hex(null)).isFalse();
        String hash = Hashing.EMPTY_SHA256;
        assertThat(Hashing.isSha256Hex(hash.substring(1))).isFalse();
        assertThat(Hashing.isSha256Hex(hash + "0")).isFalse();
        for (char outside : new char[] {'/', ':', '`', 'g', 'A', ' ', '\u0663', '\uff10'}) {
            assertThat(Hashing.isSha256Hex(outside + hash.substring(1))).as("first char %s", outside).isFalse();
            assertThat(Hashing.isSha256Hex(hash.substring(1) + outside)).as("last char %s", outside).isFalse();
        }
    }

    @Test
    void theHashFormatCheckAgreesWithItsRegularExpression() {
        long seed = 20261203L;
        System.out.println("theHashFormatCheckAgreesWithItsRegularExpression seed " + seed);
        Pattern format = Pattern.compile("[0-9a-f]{64}");
        Random random = new Random(seed);
        String alphabet = "0123456789abcdefgABCDEF/:`@G\u0663";
        for (int i = 0; i < 20_000; i++) {
            int length = random.nextInt(4) == 0 ? random.nextInt(70) : 62 + random.nextInt(5);
            StringBuilder value = new StringBuilder();
            for (int j = 0; j < length; j++) {
                // Mostly hex, so that strings of the right length often are a hash or one character off.
                value.append(random.nextInt(20) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : alphabet.charAt(random.nextInt(16)));
            }
            assertThat(Hashing.isSha256Hex(value.toString())).as(value.toString())
                    .isEqualTo(format.matcher(value).matches());
        }
    }

    private static long helperThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("sha256-"))
                .count();
    }

    /** Counts the chunks of {@code edited} that are not chunks of {@code original}. */
    private static int newChunks(byte[] original, byte[] edited) throws IOException {
        Set<String> known = FileDigester.digest(new ByteArrayInputStream(original)).chunks().stream()
                .map(ChunkRef::sha256)
                .collect(Collectors.toSet());
        List<ChunkRef> chunks = FileDigester.digest(new ByteArrayInputStream(edited)).chunks();
        return (int) chunks.stream().filter(chunk -> !known.contains(chunk.sha256())).count();
    }

    /** A stream that returns 1 to 7 bytes per read, in turn. */
    private static final class TrickleStream extends InputStream {
        private final byte[] data;
        private int pos;
        private int reads;

        TrickleStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + reads++ % 7), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
