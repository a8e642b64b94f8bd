package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectWritesTest {
    private static final long SEED = 20261204L;
    /** File systems that take direct writes: on them the writes must really bypass the cache. */
    private static final Set<String> DIRECT_FILE_SYSTEMS = Set.of("ext4", "xfs", "btrfs");

    @TempDir
    Path dir;

    @Test
    void stretchesOfAnyPlaceAndLengthWrittenByManyThreadsMakeUpTheFile() throws Exception {
        System.out.println("DirectWritesTest seed " + SEED);
        Random random = new Random(SEED);
        byte[] content = SplitMix64.bytes(SEED, 6 * DirectWrites.BUFFER + 12_345);
        for (boolean tryDirect : new boolean[] {true, false}) {
            Path file = dir.resolve("file-" + tryDirect);
            try (FileChannel out = open(file); DirectWrites writes = tryDirect ? DirectWrites.open(file, out)
                    : DirectWrites.through(out)) {
                List<int[]> stretches = cut(content.length, random);
                Collections.shuffle(stretches, random);
                ExecutorService threads = Executors.newFixedThreadPool(4);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int[] stretch : stretches) {
                        long pieces = random.nextLong();
                        done.add(threads.submit(() -> write(writes, content, stretch[0], stretch[1], new Random(pieces))));
                    }
                    for (Future<?> each : done) {
                        each.get();
                    }
                } finally {
                    threads.shutdown();
                }
                out.force(true);
                if (tryDirect) {
                    assertDirectWhereTheFileSystemAllows(writes);
                }
            }
            assertThat(Files.readAllBytes(file)).as("written " + (tryDirect ? "direct" : "through the cache"))
                    .isEqualTo(content);
        }
    }

    @Test
    void stretchesWithinOneBlockAndEmptyOnesAreWrittenToo() throws IOException {
        Path file = dir.resolve("small");
        byte[] content = SplitMix64.bytes(7, 10_000);
        try (FileChannel out = open(file); DirectWrites writes = DirectWrites.open(file, out)) {
            writes.from(0).finish();
            write(writes, content, 0, 100, new Random(1));
            write(writes, content, 100, 4_000, new Random(2)); // ends just short of the first block's end
            write(writes, content, 4_100, 5_900, new Random(3));
            writes.from(content.length).finish();
            assertDirectWhereTheFileSystemAllows(writes);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void whatWasWrittenDirectIsReadBackThroughTheOrdinaryChannel() throws IOException {
        Path file = dir.resolve("read-back");
        byte[] content = SplitMix64.bytes(11, 3 * DirectWrites.BUFFER);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE); DirectWrites writes = DirectWrites.open(file, out)) {
            out.write(ByteBuffer.allocate(content.length)); // zeros, in the page cache, to be overwritten
            write(writes, content, 0, content.length, new Random(4));

            java.nio.ByteBuffer back = ByteBuffer.allocate(content.length);
            while (back.hasRemaining() && out.read(back, back.position()) > 0) {
                // reads until full
            }
            assertThat(back.array()).isEqualTo(content);
        }
    }

    /** On file systems that take direct writes, none was refused: a misaligned one would have been. */
    private void assertDirectWhereTheFileSystemAllows(DirectWrites writes) throws IOException {
        String type = Files.getFileStore(dir).type();
        if (DIRECT_FILE_SYSTEMS.contains(type)) {
            assertThat(writes.isDirect()).as("direct writes on " + type).isTrue();
        }
    }

    /** Writes {@code content[start, start + length)} as one stretch, in pieces of random sizes. */
    private static Void write(DirectWrites writes, byte[] content, int start, int length, Random random)
            throws IOException {
        DirectWrites.Stretch stretch = writes.from(start);
        int at = start;
        int end = start + length;
        while (at < end) {
            int piece = Math.min(end - at, 1 + random.nextInt(random.nextBoolean() ? 300 * 1024 : 5_000));
            stretch.write(content, at, piece);
            at += piece;
        }
        stretch.finish();
        return null;
    }

    /** Cuts {@code [0, length)} into stretches {start, length} at random places, some tiny, some large. */
    private static List<int[]> cut(int length, Random random) {
        List<int[]> stretches = new ArrayList<>();
        int at = 0;
        while (at < length) {
            int size = Math.min(length - at, random.nextInt(4) == 0 ? 1 + random.nextInt(6_000)
                    : 1 + random.nextInt(2 * DirectWrites.BUFFER + 10_000));
            stretches.add(new int[] {at, size});
            at += size;
        }
        return stretches;
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
