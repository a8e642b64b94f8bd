package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.PackUploadResponse;
import io.syncedfolder.server.auth.AuthThrottle;
import io.syncedfolder.server.auth.Authenticator;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.blob.BlobStoreProbe;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.RetentionPolicy;
import io.syncedfolder.server.metrics.ServerMetrics;
import io.syncedfolder.server.service.BlobCollector;
import io.syncedfolder.server.service.Limits;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads flush blob content before answering but leave the blobs' folder entries to the commit that refers to
 * them: the index must never record a commit whose blobs a power loss could take back.
 */
class HttpApiGroupCommitTest {
    private static final String PACK = "/api/v1/blobs/pack";
    private static final byte[] A = "alpha".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "beta".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    private DataDir dataDir;
    private Namespaces namespaces;
    private FileIndex index;
    private BlobStore blobs;
    private HttpApi api;
    private Http http;

    @BeforeEach
    void start() throws Exception {
        dataDir = DataDir.open(data);
        blobs = BlobStore.open(dataDir.blobs());
        namespaces = Namespaces.open(dataDir, blobs, RetentionPolicy.DEFAULT, Clock.systemUTC());
        index = namespaces.get(DataDir.DEFAULT_NAMESPACE).index();
        api = HttpApi.start("127.0.0.1", 0, Limits.MAX_JSON_BODY_BYTES, Authenticator.singleToken("t"), AuthThrottle.standard(),
                namespaces, blobs, new ServerMetrics(), () -> new BlobCollector.Totals(0, 0, 0, 0), null);
        http = new Http("http://127.0.0.1:" + api.port(), "t");
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        namespaces.close();
        dataDir.close();
    }

    private static String sha(byte[] content) {
        return Hashing.sha256Hex(content);
    }

    private Http.Response upload(List<byte[]> chunks) throws Exception {
        return http.post(PACK, PackFormat.MEDIA_TYPE, HttpRequest.BodyPublishers.ofByteArray(Packs.of(chunks)));
    }

    /** Commits one new file per chunk, named after its position. */
    private Http.Response commitFilesOf(List<byte[]> chunks) throws Exception {
        return commitFilesOf("file-", chunks);
    }

    private Http.Response commitFilesOf(String prefix, List<byte[]> chunks) throws Exception {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            changes.add(Change.file(prefix + i, 0, sha(chunk), chunk.length, 1_700_000_000_000L, false,
                    List.of(new ChunkRef(sha(chunk), chunk.length))));
        }
        return http.postJson("/api/v1/commit", new CommitRequest("laptop", changes));
    }

    private Path blobFile(byte[] content) {
        return BlobStoreProbe.blobFile(data.resolve("blobs"), sha(content));
    }

    private List<Path> tmpFiles() throws IOException {
        return BlobStoreProbe.tmpFiles(data.resolve("blobs"));
    }

    @Test
    void commitAfterAPackFlushesTheFoldersTheUploadLeftUnflushed() throws Exception {
        Http.Response uploaded = upload(List.of(A, B));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        assertThat(BlobStoreProbe.unflushedDirectories(blobs)).as("the bundle holding both")
                .contains(data.resolve("blobs").resolve("bundles"));

        Http.Response committed = commitFilesOf(List.of(A, B));

        assertThat(committed.status()).as(committed.toString()).isEqualTo(200);
        assertThat(BlobStoreProbe.unflushedDirectories(blobs)).isEmpty();
        assertThat(index.sequence()).isEqualTo(2);
    }

    @Test
    void singleBlobUploadAlsoLeavesItsFolderToTheCommit() throws Exception {
        assertThat(http.put("/api/v1/blobs/" + sha(A), A).status()).isEqualTo(201);
        assertThat(BlobStoreProbe.unflushedDirectories(blobs)).contains(blobFile(A).getParent());

        assertThat(commitFilesOf(List.of(A)).status()).isEqualTo(200);

        assertThat(BlobStoreProbe.unflushedDirectories(blobs)).isEmpty();
    }

    @Test
    void commitWhoseBlobsCannotBeMadeDurableIsNotRecorded() throws Exception {
        assertThat(sha(A).substring(0, 2)).isNotEqualTo(sha(B).substring(0, 2));
        // One by one, so each is a file of its own in its own folder rather than both in a bundle.
        assertThat(http.put("/api/v1/blobs/" + sha(A), A).status()).isEqualTo(201);
        assertThat(http.put("/api/v1/blobs/" + sha(B), B).status()).isEqualTo(201);
        // A folder that cannot be flushed: B's, removed behind the server's back.
        Files.delete(blobFile(B));
        Files.delete(blobFile(B).getParent());

        Http.Response committed = commitFilesOf(List.of(A));

        assertThat(committed.status()).as(committed.toString()).isEqualTo(500);
        assertThat(index.sequence()).isZero();
        assertThat(BlobStoreProbe.unflushedDirectories(blobs)).contains(blobFile(A).getParent());
    }

    @Test
    void packsWithOverlappingChunksUploadedConcurrentlyBothSucceedAndCanBeCommitted() throws Exception {
        Random random = new Random(42);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                List<byte[]> chunks = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    byte[] chunk = new byte[4096];
                    random.nextBytes(chunk);
                    chunks.add(chunk);
                }
                List<List<byte[]>> packs = List.of(chunks.subList(0, 200), chunks.subList(100, 300));
                CyclicBarrier start = new CyclicBarrier(packs.size());
                List<Future<Http.Response>> answers = new ArrayList<>();
                for (List<byte[]> pack : packs) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return upload(pack);
                    }));
                }

                int stored = 0;
                for (Future<Http.Response> answer : answers) {
                    Http.Response response = answer.get(60, TimeUnit.SECONDS);
                    assertThat(response.status()).as(response.toString()).isEqualTo(200);
                    PackUploadResponse counts = response.json(PackUploadResponse.class);
                    assertThat(counts.stored() + counts.alreadyPresent()).isEqualTo(200);
                    stored += counts.stored();
                }
                // The 100 shared chunks are new to whichever pack stores them first, or to both at once.
                assertThat(stored).isBetween(300, 400);
                for (byte[] chunk : chunks) {
                    assertThat(BlobStoreProbe.content(blobs, sha(chunk))).contains(chunk);
                }
                assertThat(tmpFiles()).isEmpty();

                Http.Response committed = commitFilesOf("round-" + round + "/file-", chunks);
                assertThat(committed.status()).as(committed.toString()).isEqualTo(200);
                assertThat(BlobStoreProbe.unflushedDirectories(blobs)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
