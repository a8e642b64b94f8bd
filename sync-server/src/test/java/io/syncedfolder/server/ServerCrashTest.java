package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.server.blob.BlobStoreProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real server process with SIGKILL while commits are in flight and checks that every acknowledged
 * commit survives the restart (SPEC §4).
 */
class ServerCrashTest {
    private static final String TOKEN = "crash-token";
    private static final byte[] CONTENT = "survives kill -9".getBytes(StandardCharsets.UTF_8);
    private static final String SHA = Hashing.sha256Hex(CONTENT);
    private static final int ROUNDS = 3;
    private static final int THREADS = 3;
    private static final int MAX_COMMITS_PER_THREAD = 2_000;
    private static final long MAX_ROUND_MILLIS = 5_000;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedCommitSurvivesKillMinus9() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ServerCrashTest seed: " + seed);
        Random random = new Random(seed);
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        ServerProcess server = start(data, log);
        try {
            assertThat(new Http(server.baseUrl(), TOKEN).put("/api/v1/blobs/" + SHA, CONTENT).status())
                    .isEqualTo(201);
            for (int round = 0; round < ROUNDS; round++) {
                int before = acknowledged.size();
                commitUntilKilled(server, round, random.nextInt(250), acknowledged);
                assertThat(acknowledged.size()).as("commits acknowledged in round %d", round).isGreaterThan(before);

                server = start(data, log);
                assertIndexHolds(new Http(server.baseUrl(), TOKEN), acknowledged, seed, log);
            }
            assertThat(new Http(server.baseUrl(), TOKEN).get("/api/v1/blobs/" + SHA).body()).isEqualTo(CONTENT);
        } finally {
            server.close();
        }
    }

    /**
     * Uploads packs of small new chunks (stored together in bundles) and commits a file of each pack from several
     * threads, kills the server, and checks after the restart that every acknowledged file's chunks come back intact
     * and that no upload was left in {@code tmp/}.
     */
    @Test
    void bundledChunksOfEveryAcknowledgedCommitSurviveKillMinus9() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ServerCrashTest bundles seed: " + seed);
        Random random = new Random(seed);
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        Map<String, List<byte[]>> acknowledged = new ConcurrentHashMap<>();

        ServerProcess server = start(data, log);
        try {
            Http http = new Http(server.baseUrl(), TOKEN);
            AtomicBoolean stop = new AtomicBoolean();
            long deadline = System.currentTimeMillis() + MAX_ROUND_MILLIS;
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long threadSeed = random.nextLong();
                int thread = t;
                writers.add(new Thread(() -> uploadAndCommitUntilStopped(http, thread, new Random(threadSeed), stop,
                        deadline, acknowledged), "bundler-" + t));
            }
            writers.forEach(Thread::start);
            while (acknowledged.size() < 10 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(250));
            server.kill();
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(30_000);
            }
            assertThat(acknowledged).as("commits acknowledged before the kill (seed %d)", seed).isNotEmpty();
            System.out.println("ServerCrashTest bundles: " + acknowledged.size() + " files acknowledged before the kill");

            server = start(data, log);

            Http again = new Http(server.baseUrl(), TOKEN);
            for (Map.Entry<String, List<byte[]>> file : acknowledged.entrySet()) {
                List<String> hashes = file.getValue().stream().map(Hashing::sha256Hex).toList();
                Http.Response fetched = again.postJson("/api/v1/blobs/fetch", new FetchRequest(hashes));
                assertThat(fetched.status()).as("%s after restart (seed %d): %s", file.getKey(), seed, fetched)
                        .isEqualTo(200);
                assertThat(fetched.body()).as("%s's chunks (seed %d)", file.getKey(), seed)
                        .isEqualTo(Packs.of(file.getValue()));
            }
            assertThat(BlobStoreProbe.tmpFiles(data.resolve("blobs"))).isEmpty();
        } finally {
            server.close();
        }
    }

    /** Until stopped: uploads 2 to 20 new small chunks in one pack, then commits them as one new file. */
    private static void uploadAndCommitUntilStopped(Http http, int thread, Random random, AtomicBoolean stop,
                                                    long deadline, Map<String, List<byte[]>> acknowledged) {
        for (int n = 0; n < MAX_COMMITS_PER_THREAD && !stop.get() && System.currentTimeMillis() < deadline; n++) {
            String path = "bundles/writer" + thread + "/file" + n + ".bin";
            List<byte[]> chunks = new ArrayList<>();
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int i = 2 + random.nextInt(19); i > 0; i--) {
                byte[] chunk = new byte[1 + random.nextInt(8 * 1024)];
                random.nextBytes(chunk);
                chunks.add(chunk);
                whole.writeBytes(chunk);
            }
            List<ChunkRef> refs = chunks.stream().map(c -> new ChunkRef(Hashing.sha256Hex(c), c.length)).toList();
            Change change = Change.file(path, 0, Hashing.sha256Hex(whole.toByteArray()), whole.size(), 1, false, refs);
            try {
                if (http.post("/api/v1/blobs/pack", PackFormat.MEDIA_TYPE,
                        HttpRequest.BodyPublishers.ofByteArray(Packs.of(chunks))).status() != 200) {
                    continue;
                }
                if (http.postJson("/api/v1/commit", new CommitRequest("w" + thread, List.of(change)))
                        .status() == 200) {
                    acknowledged.put(path, chunks);
                }
            } catch (IOException e) {
                return; // the server is gone; this commit was never acknowledged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ServerProcess start(Path data, Path log) throws IOException, InterruptedException {
        return ServerProcess.start(log, "--port", "0", "--data", data.toString(), "--token", TOKEN);
    }

    /** Commits new paths from several threads, then kills the server {@code delayMillis} after the first acks. */
    private static void commitUntilKilled(ServerProcess server, int round, int delayMillis, Set<String> acknowledged)
            throws Exception {
        Http http = new Http(server.baseUrl(), TOKEN);
        AtomicBoolean stop = new AtomicBoolean();
        Set<String> ackedThisRound = ConcurrentHashMap.newKeySet();
        long deadline = System.currentTimeMillis() + MAX_ROUND_MILLIS;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(new Thread(() -> {
                for (int n = 0; n < MAX_COMMITS_PER_THREAD && !stop.get() && System.currentTimeMillis() < deadline;
                     n++) {
                    String path = "round" + round + "/writer" + thread + "/file" + n + ".txt";
                    Change change = Change.file(path, 0, SHA, CONTENT.length, 1, false,
                            List.of(new ChunkRef(SHA, CONTENT.length)));
                    try {
                        if (http.postJson("/api/v1/commit", new CommitRequest("w" + thread, List.of(change)))
                                .status() == 200) {
                            acknowledged.add(path);
                            ackedThisRound.add(path);
                        }
                    } catch (IOException e) {
                        return; // the server is gone; this commit was never acknowledged
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "committer-" + t));
        }
        writers.forEach(Thread::start);
        while (ackedThisRound.size() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(delayMillis);
        server.kill();
        stop.set(true);
        for (Thread writer : writers) {
            writer.join(30_000);
        }
    }

    private static void assertIndexHolds(Http http, Set<String> acknowledged, long seed, Path log)
            throws Exception {
        Map<String, FileEntry> index = new HashMap<>();
        long since = 0;
        ChangesResponse page;
        do {
            page = http.get("/api/v1/changes?since=" + since + "&limit=500").json(ChangesResponse.class);
            page.entries().forEach(entry -> index.put(entry.path(), entry));
            since = page.cursor();
        } while (page.more());

        assertThat(index.keySet()).as(() -> "acknowledged paths after restart (seed " + seed + "), server log:\n"
                + readQuietly(log)).containsAll(acknowledged);
        assertThat(index.values()).allSatisfy(entry -> assertThat(entry.isLiveFile()).isTrue());
        // Each path was committed once, so the versions are exactly 1..sequence: nothing lost, nothing doubled.
        assertThat(index.values().stream().mapToLong(FileEntry::version).sorted().toArray())
                .containsExactly(LongStream.rangeClosed(1, since).toArray());
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
