package io.syncedfolder.server.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncedfolder.common.Hashing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small blobs a batch stores together in a bundle: reading, restarting, superseding, deleting, compacting. */
class BlobStoreBundleTest {
    private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path root;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    private static String sha(byte[] content) {
        return Hashing.sha256Hex(content);
    }

    /** Stores {@code contents} in one batch. */
    private static void storeTogether(BlobStore store, byte[]... contents) throws Exception {
        try (BlobStore.Batch batch = store.batch()) {
            for (byte[] content : contents) {
                batch.put(sha(content), new ByteArrayInputStream(content));
            }
            batch.finish();
        }
    }

    private List<Path> bundleFiles() throws IOException {
        return BlobStoreProbe.bundleFiles(root);
    }

    private static Map<String, BlobStore.StoredBlob> listed(BlobStore store) throws IOException {
        Map<String, BlobStore.StoredBlob> listed = new HashMap<>();
        store.list(blob -> assertThat(listed.put(blob.sha256(), blob)).as("listed once: %s", blob).isNull());
        return listed;
    }

    @Test
    void smallBlobsOfABatchShareOneBundleAndComeBackAfterARestart() throws Exception {
        byte[] one = bytes("one");
        byte[] two = random(BlobStore.BUNDLED_UP_TO - 1, 1);
        byte[] large = random(BlobStore.BUNDLED_UP_TO, 2);
        byte[] empty = new byte[0];
        storeTogether(BlobStore.open(root), one, two, large, empty);

        assertThat(bundleFiles()).hasSize(1);
        assertThat(BlobStoreProbe.blobFile(root, sha(large))).as("64 KiB is not small").hasBinaryContent(large);
        assertThat(BlobStoreProbe.blobFile(root, sha(one))).doesNotExist();

        BlobStore reopened = BlobStore.open(root);
        for (byte[] content : List.of(one, two, large, empty)) {
            assertThat(reopened.has(sha(content))).isTrue();
            assertThat(reopened.size(sha(content))).hasValue(content.length);
            assertThat(BlobStoreProbe.content(reopened, sha(content))).contains(content);
        }
        Map<String, BlobStore.StoredBlob> listed = listed(reopened);
        assertThat(listed).containsOnlyKeys(sha(one), sha(two), sha(large), sha(empty));
        assertThat(listed.get(sha(two)).size()).isEqualTo(two.length);
        assertThat(listed.get(sha(one)).modified())
                .isEqualTo(Files.getLastModifiedTime(bundleFiles().get(0)).toInstant());
    }

    @Test
    void bundledBlobReadsEndAtTheBlobAndServeAsADeltaBase() throws Exception {
        byte[] first = random(5000, 3);
        byte[] second = random(7000, 4);
        BlobStore store = BlobStore.open(root);
        storeTogether(store, first, second);

        try (BlobContent content = store.open(sha(second)).orElseThrow()) {
            assertThat(content.start()).isEqualTo(first.length);
            assertThat(content.content().readAllBytes()).isEqualTo(second);
            assertThat(content.content().readAllBytes()).as("each stream from the start").isEqualTo(second);
            byte[] middle = new byte[100];
            content.deltaBase().read(6900, middle, 0, 100);
            assertThat(middle).isEqualTo(Arrays.copyOfRange(second, 6900, 7000));
        }
    }

    @Test
    void bundledBlobUploadedAgainMovesToTheNewBundleAndTheOldOneGoesOnceEmpty() throws Exception {
        byte[] x = bytes("x");
        byte[] y = bytes("y");
        byte[] z = bytes("z");
        BlobStore store = BlobStore.open(root);
        storeTogether(store, x, y);
        Path first = bundleFiles().get(0);

        try (BlobStore.Batch batch = store.batch()) {
            assertThat(batch.put(sha(x), new ByteArrayInputStream(x))).isEqualTo(BlobStore.PutResult.ALREADY_PRESENT);
            assertThat(batch.put(sha(z), new ByteArrayInputStream(z))).isEqualTo(BlobStore.PutResult.STORED);
            batch.finish();
        }
        assertThat(bundleFiles()).hasSize(2);

        assertThat(store.deleteIfModifiedBefore(sha(y), FAR_FUTURE)).hasValue(1);

        assertThat(first).as("emptied, but deleted only after the next flush").exists();
        store.makeDurable();
        assertThat(first).as("its only live blob, y, was deleted; x lives in the second").doesNotExist();
        assertThat(BlobStoreProbe.content(store, sha(x))).contains(x);
        assertThat(store.has(sha(y))).isFalse();
        BlobStore reopened = BlobStore.open(root);
        assertThat(BlobStoreProbe.content(reopened, sha(x))).contains(x);
        assertThat(BlobStoreProbe.content(reopened, sha(z))).contains(z);
        assertThat(reopened.has(sha(y))).isFalse();
    }

    @Test
    void deleteSparesABundledBlobUploadedAfterTheCutoff() throws Exception {
        byte[] x = bytes("x");
        byte[] y = bytes("y");
        BlobStore store = BlobStore.open(root);
        storeTogether(store, x, y);
        Instant written = Files.getLastModifiedTime(bundleFiles().get(0)).toInstant();

        assertThat(store.deleteIfModifiedBefore(sha(x), written)).isEmpty();
        assertThat(store.has(sha(x))).isTrue();
        assertThat(store.deleteIfModifiedBefore(sha(x), written.plusNanos(1))).hasValue(1);
        assertThat(store.has(sha(x))).isFalse();
        assertThat(store.deleteIfModifiedBefore(sha(x), FAR_FUTURE)).as("already gone").isEmpty();
    }

    @Test
    void compactionMovesTheLiveBlobsOfAMostlyDeletedBundleAndFreesIt() throws Exception {
        byte[] kept = random(1000, 5);
        byte[] deleted1 = random(30_000, 6);
        byte[] deleted2 = random(30_000, 7);
        byte[] alsoKept = random(2000, 8);
        BlobStore store = BlobStore.open(root);
        storeTogether(store, kept, deleted1, deleted2, alsoKept);
        assertThat(store.compactBundles()).as("nothing dead yet").isZero();
        Path old = bundleFiles().get(0);
        Instant uploaded = listed(store).get(sha(kept)).modified();

        store.deleteIfModifiedBefore(sha(deleted1), FAR_FUTURE);
        assertThat(store.compactBundles()).as("less than half dead").isZero();
        store.deleteIfModifiedBefore(sha(deleted2), FAR_FUTURE);
        assertThat(store.compactBundles()).isEqualTo(2);

        assertThat(old).doesNotExist();
        assertThat(bundleFiles()).hasSize(1);
        assertThat(Files.size(bundleFiles().get(0))).isLessThan(kept.length + alsoKept.length + 1000);
        assertThat(listed(store).get(sha(kept)).modified()).as("moving is not uploading").isEqualTo(uploaded);
        BlobStore reopened = BlobStore.open(root);
        assertThat(BlobStoreProbe.content(reopened, sha(kept))).contains(kept);
        assertThat(BlobStoreProbe.content(reopened, sha(alsoKept))).contains(alsoKept);
        assertThat(reopened.has(sha(deleted1))).isFalse();
        assertThat(reopened.has(sha(deleted2))).isFalse();
        assertThat(reopened.compactBundles()).isZero();
    }

    @Test
    void compactionLeavesABlobThatNoLongerMatchesItsHashWhereItIs() throws Exception {
        byte[] kept = random(1000, 9);
        byte[] deleted = random(30_000, 10);
        BlobStore store = BlobStore.open(root);
        storeTogether(store, kept, deleted);
        Path bundle = bundleFiles().get(0);
        try (FileChannel file = FileChannel.open(bundle, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {(byte) ~kept[10]}), 10); // damaged on disk
        }
        store.deleteIfModifiedBefore(sha(deleted), FAR_FUTURE);

        assertThat(store.compactBundles()).isZero();

        assertThat(bundle).exists();
        assertThat(bundleFiles()).containsExactly(bundle);
        assertThat(store.has(sha(kept))).isTrue();
    }

    @Test
    void restartDeletesABundleWhoseBlobsANewerOneHoldsAll() throws Exception {
        byte[] x = bytes("x");
        byte[] y = bytes("y");
        BlobStore store = BlobStore.open(root);
        storeTogether(store, x, y);
        Path first = bundleFiles().get(0);
        Path saved = root.resolve("saved");
        Files.copy(first, saved);
        try (BlobStore.Batch batch = store.batch()) {
            batch.put(sha(x), new ByteArrayInputStream(x), true);
            batch.put(sha(y), new ByteArrayInputStream(y), true);
            batch.finish();
        }
        assertThat(first).as("emptied by the newer bundle, whose name is not flushed yet").exists();
        store.makeDurable();
        assertThat(first).doesNotExist();
        // As if a crash came before the emptied bundle was deleted.
        Files.move(saved, first, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(first, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        BlobStore reopened = BlobStore.open(root);

        assertThat(first).doesNotExist();
        assertThat(bundleFiles()).hasSize(1);
        assertThat(BlobStoreProbe.content(reopened, sha(x))).contains(x);
        assertThat(BlobStoreProbe.content(reopened, sha(y))).contains(y);
    }

    @Test
    void bundleWithADamagedIndexKeepsTheBlobsWhoseBytesStillMatch() throws Exception {
        byte[] a = bytes("a");
        byte[] b = bytes("b");
        byte[] c = bytes("c");
        byte[] d = bytes("d");
        BlobStore store = BlobStore.open(root);
        storeTogether(store, a, b, c);
        Path damaged = bundleFiles().get(0);
        storeTogether(store, d, bytes("e"));
        long size = Files.size(damaged);
        try (FileChannel file = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
            // The last byte of the index (c's length), which the index's hash in the trailer then no longer matches.
            file.write(ByteBuffer.wrap(new byte[] {0x55}), size - BundleFormat.TRAILER_BYTES - 1);
            // And one byte of b's content.
            file.write(ByteBuffer.wrap(new byte[] {'B'}), 1);
        }

        BlobStore reopened = BlobStore.open(root);

        assertThat(BlobStoreProbe.content(reopened, sha(a))).contains(a);
        assertThat(reopened.has(sha(b))).as("its bytes no longer match").isFalse();
        assertThat(reopened.has(sha(c))).as("its entry points past the content").isFalse();
        assertThat(BlobStoreProbe.content(reopened, sha(d))).contains(d);
        assertThat(damaged).as("left for the operator").exists();
    }

    @Test
    void bundleCutShortOrTooShortIsDamaged() throws Exception {
        BlobStore store = BlobStore.open(root);
        storeTogether(store, bytes("a"), bytes("b"));
        Path bundle = bundleFiles().get(0);
        try (FileChannel file = FileChannel.open(bundle, StandardOpenOption.WRITE)) {
            file.truncate(Files.size(bundle) - 1);
        }
        Path tiny = root.resolve("bundles").resolve("tiny" + BundleFormat.SUFFIX);
        Files.write(tiny, bytes("SFBUNDL1"));

        BlobStore reopened = BlobStore.open(root);

        assertThat(reopened.has(sha(bytes("a")))).isFalse();
        assertThat(listed(reopened)).isEmpty();
    }

    @Test
    void bundleWhoseFirstWriteFailedIsFinishedWhole() throws Exception {
        Path lane = root.resolve("lane");
        BundleWriter writer = new BundleWriter(lane.resolve("b" + BundleFormat.SUFFIX));
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            contents.add(random(BlobStore.BUNDLED_UP_TO - 1, 100 + i));
        }
        for (byte[] content : contents.subList(0, 16)) {
            writer.add(sha(content), content, content.length);
        }
        byte[] spilling = contents.get(16);
        assertThatThrownBy(() -> writer.add(sha(spilling), spilling, spilling.length))
                .as("its folder is missing").isInstanceOf(IOException.class);
        Files.createDirectory(lane);
        for (byte[] content : contents.subList(17, 20)) {
            writer.add(sha(content), content, content.length);
        }

        writer.finish();

        try (FileChannel file = FileChannel.open(writer.file())) {
            BundleFormat.Index index = BundleFormat.readIndex(file);
            assertThat(index.entries()).hasSize(20);
            for (BundleFormat.Entry entry : index.entries()) {
                ByteBuffer bytes = ByteBuffer.allocate(entry.length());
                file.read(bytes, entry.offset());
                assertThat(sha(bytes.array())).isEqualTo(entry.sha256());
            }
        }
    }

    @Test
    void readersAlwaysGetTheRightBytesWhileBlobsAreStoredAgainDeletedCompactedAndFlushed() throws Exception {
        long seed = 3_2026_12_03L;
        System.out.println("bundle readers seed " + seed);
        Random random = new Random(seed);
        BlobStore store = BlobStore.open(root);
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            live.add(random(1 + random.nextInt(4000), random.nextLong()));
        }
        storeTogether(store, live.toArray(byte[][]::new));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                long readerSeed = random.nextLong();
                readers.add(pool.submit(() -> {
                    Random pick = new Random(readerSeed);
                    for (int reads = 0; writing.get() && reads < 200_000; reads++) {
                        byte[] content = live.get(pick.nextInt(live.size()));
                        assertThat(BlobStoreProbe.content(store, sha(content))).as("seed %d", seed).contains(content);
                    }
                    return null;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                Random pick = new Random(seed + 1);
                for (int round = 0; round < 60; round++) {
                    // Store some live blobs again, with new ones beside them that are then deleted: their bundles
                    // become mostly dead and are compacted, and every emptied bundle goes at a flush.
                    List<byte[]> batch = new ArrayList<>();
                    List<byte[]> doomed = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        batch.add(live.get(pick.nextInt(live.size())));
                        byte[] extra = random(8000, pick.nextLong());
                        doomed.add(extra);
                        batch.add(extra);
                    }
                    try (BlobStore.Batch again = store.batch()) {
                        for (byte[] content : batch) {
                            again.put(sha(content), new ByteArrayInputStream(content), true);
                        }
                        again.finish();
                    }
                    for (byte[] content : doomed) {
                        store.deleteIfModifiedBefore(sha(content), FAR_FUTURE);
                    }
                    store.compactBundles();
                }
                return null;
            });
            writer.get(60, TimeUnit.SECONDS);
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        store.makeDurable();
        assertThat(listed(store)).as("seed %d", seed).hasSize(live.size());
        assertThat(bundleFiles().size()).as("emptied bundles deleted (seed %d)", seed).isLessThanOrEqualTo(live.size());
    }

    @Test
    void manyBatchesOfRandomSizesReadBackIntactAfterDeletesCompactionAndRestart() throws Exception {
        long seed = 20261203L;
        System.out.println("bundle round trip seed " + seed);
        Random random = new Random(seed);
        BlobStore store = BlobStore.open(root);
        List<byte[]> live = new ArrayList<>();
        List<byte[]> gone = new ArrayList<>();
        for (int batchNumber = 0; batchNumber < 20; batchNumber++) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = random.nextInt(12); i >= 0; i--) {
                batch.add(random(16 + random.nextInt(2 * BlobStore.BUNDLED_UP_TO), random.nextLong()));
            }
            storeTogether(store, batch.toArray(byte[][]::new));
            for (byte[] content : batch) {
                (random.nextInt(3) == 0 ? gone : live).add(content);
            }
        }
        for (byte[] content : gone) {
            store.deleteIfModifiedBefore(sha(content), FAR_FUTURE);
        }
        store.compactBundles();

        for (byte[] content : live) {
            assertThat(BlobStoreProbe.content(store, sha(content))).as("seed %d", seed).contains(content);
        }
        for (byte[] content : gone) {
            assertThat(store.has(sha(content))).as("seed %d", seed).isFalse();
        }
        assertThat(listed(store)).as("seed %d", seed).hasSize(live.size());
        // After a restart a deleted blob whose bundle is still there is back, intact, for the collector to delete.
        BlobStore reopened = BlobStore.open(root);
        for (byte[] content : live) {
            assertThat(BlobStoreProbe.content(reopened, sha(content))).as("seed %d", seed).contains(content);
        }
        for (byte[] content : gone) {
            BlobStoreProbe.content(reopened, sha(content))
                    .ifPresent(back -> assertThat(back).as("seed %d", seed).isEqualTo(content));
        }
        assertThat(BlobStoreProbe.tmpFiles(root)).isEmpty();
        assertThat(bundleFiles()).isNotEmpty();
    }
}
