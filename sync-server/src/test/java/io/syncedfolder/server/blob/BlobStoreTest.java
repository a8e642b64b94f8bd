package io.syncedfolder.server.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncedfolder.common.Hashing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobStoreTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final String HELLO_SHA = Hashing.sha256Hex(HELLO);

    @TempDir
    Path root;

    @Test
    void putStoresContentUnderItsHash() throws Exception {
        BlobStore store = BlobStore.open(root);

        assertThat(store.put(HELLO_SHA, new ByteArrayInputStream(HELLO))).isEqualTo(BlobStore.PutResult.STORED);

        assertThat(store.has(HELLO_SHA)).isTrue();
        assertThat(blobFile(HELLO_SHA)).hasBinaryContent(HELLO);
        try (BlobContent blob = store.open(HELLO_SHA).orElseThrow()) {
            assertThat(blob.size()).isEqualTo(HELLO.length);
            assertThat(blob.content().readAllBytes()).isEqualTo(HELLO);
        }
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void secondPutOfTheSameContentIsAcceptedAndChangesNothing() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));

        assertThat(store.put(HELLO_SHA, new ByteArrayInputStream(HELLO)))
                .isEqualTo(BlobStore.PutResult.ALREADY_PRESENT);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void secondPutWithWrongBytesIsRefusedEvenThoughTheBlobIsStored() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));

        assertThatThrownBy(() -> store.put(HELLO_SHA, new ByteArrayInputStream("hellO".getBytes())))
                .isInstanceOf(HashMismatchException.class);
        assertThat(blobFile(HELLO_SHA)).hasBinaryContent(HELLO);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void blobLargerThanEveryBufferIsStoredWhole() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] big = new byte[300 * 1024 + 7];
        new Random(5).nextBytes(big);
        String sha = Hashing.sha256Hex(big);

        assertThat(store.put(sha, new ByteArrayInputStream(big))).isEqualTo(BlobStore.PutResult.STORED);

        assertThat(blobFile(sha)).hasBinaryContent(big);
    }

    @Test
    void sizeIsTheStoredLengthOrEmpty() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
        store.put(Hashing.EMPTY_SHA256, InputStream.nullInputStream());

        assertThat(store.size(HELLO_SHA)).hasValue(HELLO.length);
        assertThat(store.size(Hashing.EMPTY_SHA256)).hasValue(0);
        assertThat(store.size(Hashing.sha256Hex("absent".getBytes()))).isEmpty();
        assertThatThrownBy(() -> store.size("nope")).isInstanceOf(InvalidHashException.class);
    }

    @Test
    void emptyBlobIsStored() throws Exception {
        BlobStore store = BlobStore.open(root);

        assertThat(store.put(Hashing.EMPTY_SHA256, InputStream.nullInputStream()))
                .isEqualTo(BlobStore.PutResult.STORED);
        assertThat(store.open(Hashing.EMPTY_SHA256).orElseThrow().size()).isZero();
    }

    @Test
    void mismatchingContentStoresNothing() throws IOException {
        BlobStore store = BlobStore.open(root);
        byte[] other = "hellO".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> store.put(HELLO_SHA, new ByteArrayInputStream(other)))
                .isInstanceOf(HashMismatchException.class)
                .hasMessageContaining(Hashing.sha256Hex(other));

        assertThat(store.has(HELLO_SHA)).isFalse();
        assertThat(store.open(HELLO_SHA)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void brokenUploadStreamStoresNothing() throws IOException {
        BlobStore store = BlobStore.open(root);
        InputStream breaksOff = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 3) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> store.put(HELLO_SHA, breaksOff))
                .isInstanceOf(IncompleteUploadException.class)
                .hasMessageContaining("after 3 bytes");
        assertThat(store.has(HELLO_SHA)).isFalse();
        assertThat(tmpFiles()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "../../../../etc/passwd",
            "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982g",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98240",
            "tm/../2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938"})
    void malformedHashIsRefusedBeforeTouchingTheDisk(String hash) throws IOException {
        BlobStore store = BlobStore.open(root);

        assertThatThrownBy(() -> store.put(hash, new ByteArrayInputStream(HELLO)))
                .isInstanceOf(InvalidHashException.class);
        assertThatThrownBy(() -> store.has(hash)).isInstanceOf(InvalidHashException.class);
        assertThatThrownBy(() -> store.open(hash)).isInstanceOf(InvalidHashException.class);
        assertThatThrownBy(() -> store.missing(List.of(HELLO_SHA, hash))).isInstanceOf(InvalidHashException.class);
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void missingListsAbsentHashesOnceInTheOrderAsked() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
        String a = Hashing.sha256Hex("a".getBytes());
        String b = Hashing.sha256Hex("b".getBytes());

        assertThat(store.missing(List.of(b, HELLO_SHA, a, b))).containsExactly(b, a);
        assertThat(store.missing(List.of())).isEmpty();
    }

    @Test
    void openingRemovesUploadsACrashInterrupted() throws IOException {
        BlobStore.open(root);
        Path leftover = Files.writeString(root.resolve("tmp").resolve("upload-123.part"), "half");
        Path inLane = Files.writeString(root.resolve("tmp").resolve("2").resolve("upload-456-0.part"), "half");

        BlobStore.open(root);

        assertThat(leftover).doesNotExist();
        assertThat(inLane).doesNotExist();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void batchStoresEveryBlobAtFinishAndNoneBefore() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] big = new byte[300 * 1024 + 7];
        new Random(7).nextBytes(big);
        List<byte[]> contents = List.of(HELLO, big, new byte[0]);

        try (BlobStore.Batch batch = store.batch()) {
            for (byte[] content : contents) {
                assertThat(batch.put(Hashing.sha256Hex(content), new ByteArrayInputStream(content)))
                        .isEqualTo(BlobStore.PutResult.STORED);
            }
            for (byte[] content : contents) {
                assertThat(store.has(Hashing.sha256Hex(content))).isFalse();
            }
            assertThat(tmpFiles()).as("the large blob's upload; the small ones wait in memory").hasSize(1);

            batch.finish();
        }

        assertThat(blobFile(Hashing.sha256Hex(big))).hasBinaryContent(big);
        assertThat(bundleFiles()).as("the two small blobs, together").hasSize(1);
        for (byte[] content : contents) {
            assertThat(content(store, Hashing.sha256Hex(content))).contains(content);
        }
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void batchWritesContentAlreadyStoredOrAlreadyInTheBatchOnlyOnce() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
        byte[] other = "other".getBytes(StandardCharsets.UTF_8);

        try (BlobStore.Batch batch = store.batch()) {
            assertThat(batch.put(HELLO_SHA, new ByteArrayInputStream(HELLO)))
                    .isEqualTo(BlobStore.PutResult.ALREADY_PRESENT);
            assertThat(batch.put(Hashing.sha256Hex(other), new ByteArrayInputStream(other)))
                    .isEqualTo(BlobStore.PutResult.STORED);
            assertThat(batch.put(Hashing.sha256Hex(other), new ByteArrayInputStream(other)))
                    .isEqualTo(BlobStore.PutResult.ALREADY_PRESENT);
            assertThatThrownBy(() -> batch.put(HELLO_SHA, new ByteArrayInputStream(other)))
                    .isInstanceOf(HashMismatchException.class);
            batch.finish();
        }

        assertThat(blobFile(Hashing.sha256Hex(other))).as("the batch's only new small blob: a file of its own")
                .hasBinaryContent(other);
        assertThat(blobFile(HELLO_SHA)).hasBinaryContent(HELLO);
        assertThat(bundleFiles()).isEmpty();
    }

    @Test
    void mismatchInABatchDropsOnlyThatBlobAndFinishKeepsTheOthers() throws Exception {
        BlobStore store = BlobStore.open(root);
        byte[] other = "other".getBytes(StandardCharsets.UTF_8);
        String forged = Hashing.sha256Hex("forged".getBytes(StandardCharsets.UTF_8));

        try (BlobStore.Batch batch = store.batch()) {
            batch.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
            assertThatThrownBy(() -> batch.put(forged, new ByteArrayInputStream(other)))
                    .isInstanceOf(HashMismatchException.class);
            batch.finish();
        }

        assertThat(blobFile(HELLO_SHA)).hasBinaryContent(HELLO);
        assertThat(store.has(forged)).isFalse();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void closingAnUnfinishedBatchDeletesItsUploadsAndStoresNothing() throws Exception {
        BlobStore store = BlobStore.open(root);

        try (BlobStore.Batch batch = store.batch()) {
            batch.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
            batch.put(Hashing.EMPTY_SHA256, InputStream.nullInputStream());
        }

        assertThat(store.has(HELLO_SHA)).isFalse();
        assertThat(store.has(Hashing.EMPTY_SHA256)).isFalse();
        assertThat(tmpFiles()).isEmpty();
        assertThat(store.unflushedDirectories()).isEmpty();
    }

    @Test
    void finishedBatchTakesNoMoreUploads() throws Exception {
        BlobStore store = BlobStore.open(root);
        BlobStore.Batch batch = store.batch();
        batch.finish();

        assertThatThrownBy(() -> batch.put(HELLO_SHA, new ByteArrayInputStream(HELLO)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(batch::finish).isInstanceOf(IllegalStateException.class);
        batch.close();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void storedBlobsLeaveTheirFoldersUnflushedUntilMakeDurable() throws Exception {
        BlobStore store = BlobStore.open(root);
        Path shard = blobFile(HELLO_SHA).getParent();

        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));

        assertThat(store.unflushedDirectories()).containsExactlyInAnyOrder(root, shard);

        store.makeDurable();

        assertThat(store.unflushedDirectories()).isEmpty();
        byte[] sameShard = sameShardAs(HELLO_SHA);
        store.put(Hashing.sha256Hex(sameShard), new ByteArrayInputStream(sameShard));
        assertThat(store.unflushedDirectories()).as("the shard folder existed: the root did not change")
                .containsExactly(shard);
        store.makeDurable();
        assertThat(store.unflushedDirectories()).isEmpty();
    }

    @Test
    void knownBlobLeavesNoFolderUnflushed() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
        store.makeDurable();

        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));

        assertThat(store.unflushedDirectories()).isEmpty();
    }

    @Test
    void foldersAFlushFailedOnStayUnflushedForTheNextTry() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
        Path shard = blobFile(HELLO_SHA).getParent();
        // A folder that cannot be flushed: removed behind the store's back.
        Files.delete(blobFile(HELLO_SHA));
        Files.delete(shard);

        assertThatThrownBy(store::makeDurable).isInstanceOf(IOException.class);

        assertThat(store.unflushedDirectories()).containsExactlyInAnyOrder(root, shard);
    }

    @Test
    void concurrentBatchesWithSharedContentAndFlushesStoreEveryBlobIntact() throws Exception {
        BlobStore store = BlobStore.open(root);
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 175; i++) {
            contents.add(("blob " + i).getBytes(StandardCharsets.UTF_8));
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            AtomicBoolean uploading = new AtomicBoolean(true);
            List<Future<?>> uploads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // Each thread sends 100 of the 175 blobs, overlapping its neighbours', in batches of ten.
                List<byte[]> mine = contents.subList(t * 25, t * 25 + 100);
                uploads.add(pool.submit(() -> {
                    start.await();
                    for (int from = 0; from < mine.size(); from += 10) {
                        try (BlobStore.Batch batch = store.batch()) {
                            for (byte[] content : mine.subList(from, from + 10)) {
                                batch.put(Hashing.sha256Hex(content), new ByteArrayInputStream(content));
                            }
                            batch.finish();
                        }
                    }
                    return null;
                }));
            }
            Future<?> flushes = pool.submit(() -> {
                start.await();
                while (uploading.get()) {
                    store.makeDurable();
                }
                return null;
            });
            for (Future<?> upload : uploads) {
                upload.get(30, TimeUnit.SECONDS);
            }
            uploading.set(false);
            flushes.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        store.makeDurable();
        assertThat(store.unflushedDirectories()).isEmpty();
        for (byte[] content : contents) {
            assertThat(content(store, Hashing.sha256Hex(content))).contains(content);
        }
        assertThat(tmpFiles()).isEmpty();
    }

    /** Returns content whose hash lies in the same shard folder as {@code sha256}. */
    private static byte[] sameShardAs(String sha256) {
        for (int i = 0; ; i++) {
            byte[] content = ("candidate " + i).getBytes(StandardCharsets.UTF_8);
            if (Hashing.sha256Hex(content).startsWith(sha256.substring(0, 2))) {
                return content;
            }
        }
    }

    private Path blobFile(String sha256) {
        return BlobStoreProbe.blobFile(root, sha256);
    }

    private List<Path> tmpFiles() throws IOException {
        return BlobStoreProbe.tmpFiles(root);
    }

    private List<Path> bundleFiles() throws IOException {
        return BlobStoreProbe.bundleFiles(root);
    }

    private static Optional<byte[]> content(BlobStore store, String sha256) throws IOException {
        return BlobStoreProbe.content(store, sha256);
    }
}
