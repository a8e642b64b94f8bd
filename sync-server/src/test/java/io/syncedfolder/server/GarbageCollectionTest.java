package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.HistoryResponse;
import io.syncedfolder.common.protocol.MissingBlobsResponse;
import io.syncedfolder.common.protocol.MissingRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.RestoreRequest;
import io.syncedfolder.common.protocol.VersionInfo;
import io.syncedfolder.server.blob.BlobStoreProbe;
import io.syncedfolder.server.index.RetentionPolicy;
import io.syncedfolder.server.service.BlobCollector;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage collection of blobs (issue 6) on a real server whose clock the tests move. */
class GarbageCollectionTest {
    private static final String TOKEN = "gc-token";
    private static final Duration GRACE = Duration.ofHours(24);
    private static final Duration PAST_GRACE = GRACE.plusHours(1);

    @TempDir
    Path data;

    private final TestClock clock = TestClock.atNow();
    private SyncServer server;
    private Http http;

    private void start(RetentionPolicy retention) throws Exception {
        server = SyncServer.start(ServerConfig.localhost(data, TOKEN).withRetention(retention)
                .withCollection(GRACE, Duration.ofDays(365)), clock);
        http = new Http(server.baseUrl(), TOKEN);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha(String text) {
        return Hashing.sha256Hex(bytes(text));
    }

    /** Uploads one chunk on its own (a blob file), several in one pack (together in a bundle), as clients do. */
    private void upload(String... chunks) throws Exception {
        if (chunks.length == 1) {
            assertThat(http.put("/api/v1/blobs/" + sha(chunks[0]), bytes(chunks[0])).status()).isIn(200, 201);
            return;
        }
        List<byte[]> contents = new ArrayList<>();
        for (String chunk : chunks) {
            contents.add(bytes(chunk));
        }
        Http.Response response = http.post("/api/v1/blobs/pack", PackFormat.MEDIA_TYPE,
                HttpRequest.BodyPublishers.ofByteArray(Packs.of(contents)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private static Change file(String path, long base, String... chunks) {
        StringBuilder whole = new StringBuilder();
        List<ChunkRef> refs = new ArrayList<>();
        for (String chunk : chunks) {
            whole.append(chunk);
            refs.add(new ChunkRef(sha(chunk), bytes(chunk).length));
        }
        return Change.file(path, base, sha(whole.toString()), bytes(whole.toString()).length, 1, false, refs);
    }

    /** Uploads the chunks and commits them as one file; returns the new entry. */
    private FileEntry write(String path, long base, String... chunks) throws Exception {
        upload(chunks);
        Http.Response response = http.postJson("/api/v1/commit",
                new CommitRequest("laptop", List.of(file(path, base, chunks))));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json(CommitResponse.class).entries().get(0);
    }

    private boolean stored(String chunk) throws Exception {
        return http.get("/api/v1/blobs/" + sha(chunk)).status() == 200;
    }

    @Test
    void anUploadWaitingForItsCommitSurvivesTheGracePeriodAndThenGoes() throws Exception {
        start(RetentionPolicy.DEFAULT);
        upload("uploaded, commit still to come");
        clock.advance(GRACE.minusMinutes(1));

        BlobCollector.Result early = server.collectGarbage();

        assertThat(early.blobsDeleted()).isZero();
        assertThat(early.blobsKept()).isEqualTo(1);
        assertThat(stored("uploaded, commit still to come")).isTrue();

        clock.advance(Duration.ofMinutes(2));
        BlobCollector.Result late = server.collectGarbage();

        assertThat(late.blobsDeleted()).isEqualTo(1);
        assertThat(late.bytesFreed()).isEqualTo(bytes("uploaded, commit still to come").length);
        assertThat(stored("uploaded, commit still to come")).isFalse();
        assertThat(server.stats()).extracting(ServerStats::gcRuns, ServerStats::gcBlobsDeleted,
                ServerStats::gcBytesFreed).containsExactly(2L, 1L, (long) bytes("uploaded, commit still to come").length);
    }

    @Test
    void bundledChunksGoOneByOneAndTheirBundleIsCompactedOnceMostlyDeleted() throws Exception {
        start(RetentionPolicy.DEFAULT);
        String kept = "kept";
        String goesFirst = "x".repeat(3000);
        String goesLater = "y".repeat(3000);
        upload(kept, goesFirst, goesLater);
        assertThat(http.postJson("/api/v1/commit", new CommitRequest("laptop", List.of(file("kept.txt", 0, kept))))
                .status()).isEqualTo(200);
        assertThat(BlobStoreProbe.bundleFiles(data.resolve("blobs"))).hasSize(1);
        clock.advance(GRACE.minusMinutes(1));
        upload(goesLater); // uploaded again: its grace period starts over, in a bundle of its own
        clock.advance(Duration.ofMinutes(2));

        BlobCollector.Result first = server.collectGarbage();

        assertThat(first.blobsDeleted()).isEqualTo(1);
        assertThat(stored(goesFirst)).isFalse();
        assertThat(stored(kept)).isTrue();
        assertThat(stored(goesLater)).isTrue();
        assertThat(BlobStoreProbe.bundleFiles(data.resolve("blobs"))).as("the first was compacted").hasSize(2);

        clock.advance(GRACE);
        BlobCollector.Result second = server.collectGarbage();

        assertThat(second.blobsDeleted()).isEqualTo(1);
        assertThat(stored(goesLater)).isFalse();
        assertThat(stored(kept)).isTrue();
        assertThat(BlobStoreProbe.bundleFiles(data.resolve("blobs"))).as("only kept's, after compaction")
                .hasSize(1).allSatisfy(bundle -> assertThat(Files.size(bundle)).isLessThan(200));
        server.close();
        start(RetentionPolicy.DEFAULT);
        assertThat(stored(kept)).isTrue();
        assertThat(stored(goesFirst)).isFalse();
    }

    @Test
    void uploadingContentAgainRestartsItsGracePeriod() throws Exception {
        start(RetentionPolicy.DEFAULT);
        upload("sent twice");
        clock.advance(PAST_GRACE);
        // The second upload is "already present" and writes nothing, but the commit it prepares is coming.
        upload("sent twice");

        assertThat(server.collectGarbage().blobsDeleted()).isZero();
        assertThat(stored("sent twice")).isTrue();
    }

    @Test
    void blobsOfCurrentAndKeptEarlierVersionsStay() throws Exception {
        start(RetentionPolicy.DEFAULT);
        FileEntry v1 = write("a.txt", 0, "shared ", "only in v1");
        write("a.txt", v1.version(), "shared ", "only in v2");
        upload("never committed");
        clock.advance(PAST_GRACE);

        BlobCollector.Result result = server.collectGarbage();

        assertThat(result.blobsDeleted()).isEqualTo(1);
        assertThat(stored("never committed")).isFalse();
        assertThat(stored("shared ")).isTrue();
        assertThat(stored("only in v2")).isTrue();
        assertThat(stored("only in v1")).as("v1 is a kept earlier version").isTrue();
        assertThat(http.postJson("/api/v1/restore", new RestoreRequest("a.txt", 1L))
                .status()).isEqualTo(200);
    }

    @Test
    void aVersionDroppedByRetentionFreesTheBlobsOnlyItUsed() throws Exception {
        start(new RetentionPolicy(1, Duration.ofDays(30)));
        FileEntry v1 = write("a.txt", 0, "shared ", "only in v1");
        FileEntry v2 = write("a.txt", v1.version(), "shared ", "only in v2");
        write("a.txt", v2.version(), "shared ", "only in v3");
        clock.advance(PAST_GRACE);

        BlobCollector.Result result = server.collectGarbage();

        assertThat(result.blobsDeleted()).isEqualTo(1);
        assertThat(stored("only in v1")).isFalse();
        assertThat(stored("only in v2")).isTrue();
        assertThat(stored("shared ")).isTrue();

        clock.advance(Duration.ofDays(30));
        BlobCollector.Result later = server.collectGarbage();

        assertThat(later.versionsDropped()).isEqualTo(1);
        assertThat(stored("only in v2")).isFalse();
        assertThat(stored("only in v3")).isTrue();
        assertThat(stored("shared ")).isTrue();
    }

    @Test
    void aCollectedVersionDoesNotComeBackAfterARestartWithMoreRetention() throws Exception {
        start(new RetentionPolicy(1, Duration.ofDays(30)));
        FileEntry v1 = write("a.txt", 0, "v1");
        FileEntry v2 = write("a.txt", v1.version(), "v2");
        write("a.txt", v2.version(), "v3");
        clock.advance(PAST_GRACE);
        assertThat(server.collectGarbage().blobsDeleted()).isEqualTo(1);
        server.close();

        start(new RetentionPolicy(20, Duration.ofDays(30)));

        HistoryResponse history = http.get("/api/v1/history?path=a.txt").json(HistoryResponse.class);
        assertThat(history.versions()).extracting(VersionInfo::version).containsExactly(3L, 2L);
    }

    @Test
    void aDeletedFilesContentStaysWhileItIsInTheTrash() throws Exception {
        start(new RetentionPolicy(20, Duration.ofDays(2)));
        FileEntry v1 = write("a.txt", 0, "to be deleted");
        http.postJson("/api/v1/commit", new CommitRequest("laptop",
                List.of(Change.deletion("a.txt", v1.version(), EntryKind.FILE, 2))));
        clock.advance(PAST_GRACE);

        assertThat(server.collectGarbage().blobsDeleted()).isZero();
        assertThat(stored("to be deleted")).isTrue();

        clock.advance(Duration.ofDays(2));
        assertThat(server.collectGarbage().blobsDeleted()).isEqualTo(1);
        assertThat(stored("to be deleted")).isFalse();
    }

    /**
     * Commits files whose content is all past the grace period while collections run back to back, and checks
     * after every accepted commit that its chunks are stored, and at the end that every referenced chunk is.
     * Earlier versions are not kept, so each commit makes the previous content of its path garbage at once.
     */
    @Test
    void aCommitRacingCollectionsNeverRefersToADeletedBlob() throws Exception {
        long seed = 6_2026_12_02L;
        System.out.println("GarbageCollectionTest race seed: " + seed);
        start(new RetentionPolicy(0, Duration.ZERO));
        Random random = new Random(seed);
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            contents.add("content " + i + " " + random.nextLong());
        }
        // Every blob's file time is real time, a day before the clock: none is protected by the grace period.
        clock.advance(PAST_GRACE);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refusedForMissing = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        Random pauses = new Random(seed);
        Thread collector = new Thread(() -> {
            while (!stop.get()) {
                try {
                    server.collectGarbage();
                    Thread.sleep(pauses.nextInt(3));
                } catch (Exception e) {
                    failures.add("collection failed: " + e);
                }
            }
        }, "collector");
        collector.start();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            Random mine = new Random(seed + w + 1);
            String path = "writer" + w + ".txt";
            writers.add(new Thread(() -> {
                try {
                    long base = 0;
                    List<String> current = List.of();
                    for (int round = 0; round < 120; round++) {
                        String a = contents.get(mine.nextInt(contents.size()));
                        String b = contents.get(mine.nextInt(contents.size()));
                        Change change = file(path, base, a, b);
                        // As a client does: ask what is missing, upload only that, commit, and on 422 upload again.
                        List<String> missing = http.postJson("/api/v1/blobs/missing",
                                new MissingRequest(List.of(sha(a), sha(b)))).json(MissingResponse.class).missing();
                        for (int attempt = 0; attempt < 50; attempt++) {
                            for (String chunk : List.of(a, b)) {
                                if (missing.contains(sha(chunk))) {
                                    http.put("/api/v1/blobs/" + sha(chunk), bytes(chunk));
                                }
                            }
                            Http.Response response = http.postJson("/api/v1/commit",
                                    new CommitRequest("w", List.of(change)));
                            if (response.status() == 422) {
                                // Deleted after the client asked (it looked unused and old): upload it again.
                                refusedForMissing.incrementAndGet();
                                missing = response.json(MissingBlobsResponse.class).missing();
                                if (attempt == 49) {
                                    gaveUp.incrementAndGet();
                                }
                                continue;
                            }
                            if (response.status() != 200) {
                                failures.add(path + " round " + round + ": " + response);
                                return;
                            }
                            base = response.json(CommitResponse.class).cursor();
                            current = List.of(a, b);
                            accepted.incrementAndGet();
                            break;
                        }
                        // The path's current content: only this thread replaces it, so it must be stored.
                        for (String chunk : current) {
                            if (!stored(chunk)) {
                                failures.add(path + " round " + round + ": committed chunk " + sha(chunk) + " is gone");
                            }
                        }
                    }
                } catch (Exception e) {
                    failures.add(path + ": " + e);
                }
            }, "writer-" + w));
        }
        writers.forEach(Thread::start);
        for (Thread writer : writers) {
            writer.join(120_000);
        }
        stop.set(true);
        collector.join(60_000);
        server.collectGarbage();

        assertThat(failures).as("seed " + seed).isEmpty();
        assertThat(accepted.get() + gaveUp.get()).isEqualTo(360);
        assertThat(accepted.get()).isGreaterThan(180);
        Set<String> referenced = new HashSet<>();
        for (FileEntry entry : http.get("/api/v1/changes?since=0").json(ChangesResponse.class).entries()) {
            entry.chunks().forEach(chunk -> referenced.add(chunk.sha256()));
        }
        for (String hash : referenced) {
            assertThat(http.get("/api/v1/blobs/" + hash).status()).as("referenced blob " + hash).isEqualTo(200);
        }
        assertThat(server.stats().gcBlobsDeleted()).as("collections deleted blobs meanwhile").isPositive();
        System.out.println("GarbageCollectionTest race: " + server.stats().gcRuns() + " collections, "
                + server.stats().gcBlobsDeleted() + " blobs deleted, " + accepted.get() + " commits accepted, "
                + refusedForMissing.get() + " refused for a blob deleted after the client asked, " + gaveUp.get()
                + " rounds given up");
    }
}
