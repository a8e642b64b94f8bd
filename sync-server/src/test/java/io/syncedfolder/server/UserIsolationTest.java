package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.DeltaFormat;
import io.syncedfolder.common.protocol.DeltaRequest;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.MissingBlobsResponse;
import io.syncedfolder.common.protocol.MissingRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.PackUploadResponse;
import io.syncedfolder.common.protocol.RestoreRequest;
import io.syncedfolder.common.protocol.TrashResponse;
import io.syncedfolder.server.auth.UserStore;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alice and Bob on one server: nothing Bob has can be read, changed or even detected by Alice, through any route,
 * and the shared blob store's deduplication does not tell her whether Bob stores some content (issue 5, item 2).
 */
class UserIsolationTest {
    private static final byte[] SECRET = "bob's secret plans".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET_SHA = Hashing.sha256Hex(SECRET);
    private static final byte[] OLD = "bob's first draft".getBytes(StandardCharsets.UTF_8);
    private static final String OLD_SHA = Hashing.sha256Hex(OLD);
    private static final byte[] NEVER = "nobody stores this".getBytes(StandardCharsets.UTF_8);
    private static final String NEVER_SHA = Hashing.sha256Hex(NEVER);
    private static final long MTIME = 1_700_000_000_000L;

    @TempDir
    Path data;

    private SyncServer server;
    private Http alice;
    private Http bob;

    @BeforeEach
    void start() throws Exception {
        UserStore users = new UserStore(data);
        String aliceToken = users.add("alice", 1).token();
        String bobToken = users.add("bob", 2).token();
        server = SyncServer.start(usersOnly(data));
        alice = new Http(server.baseUrl(), aliceToken);
        bob = new Http(server.baseUrl(), bobToken);
        seedBob();
    }

    static ServerConfig usersOnly(Path data) {
        return new ServerConfig(ServerConfig.DEFAULT_BIND, 0, data, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Bob: plans/secret.txt written twice (so it has an earlier version), plans/old.txt deleted (in the trash). */
    private void seedBob() throws Exception {
        assertThat(bob.put("/api/v1/blobs/" + OLD_SHA, OLD).status()).isEqualTo(201);
        assertThat(bob.put("/api/v1/blobs/" + SECRET_SHA, SECRET).status()).isEqualTo(201);
        commit(bob, file("plans/secret.txt", 0, OLD), file("plans/old.txt", 0, OLD));
        commit(bob, file("plans/secret.txt", 1, SECRET));
        commit(bob, Change.deletion("plans/old.txt", 2, EntryKind.FILE, MTIME));
    }

    private static Change file(String path, long base, byte[] content) {
        String sha = Hashing.sha256Hex(content);
        return Change.file(path, base, sha, content.length, MTIME, false, List.of(new ChunkRef(sha, content.length)));
    }

    private static void commit(Http http, Change... changes) throws Exception {
        Http.Response response = http.postJson("/api/v1/commit", new CommitRequest("dev", List.of(changes)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** What a user's request could change: every file of the data directory with its size. */
    private Map<String, Long> dataListing() throws Exception {
        Map<String, Long> listing = new TreeMap<>();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                listing.put(data.relativize(file).toString(), Files.size(file));
            }
        }
        return listing;
    }

    private static void assertNotFound(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.json(ErrorBody.class).error()).isEqualTo("not found");
    }

    @Test
    void aliceCannotReachAnythingOfBobsThroughAnyRoute() throws Exception {
        assertThat(alice.get("/api/v1/changes").status()).isEqualTo(200); // her namespace is made on first use
        Map<String, Long> before = dataListing();
        ChangesResponse bobBefore = bob.get("/api/v1/changes?since=0").json(ChangesResponse.class);
        List<String> tried = new ArrayList<>();

        // Paths and versions: Bob's exist, so each of these would succeed for him.
        for (String path : List.of("plans/secret.txt", "plans/old.txt", "plans")) {
            tried.add("history " + path);
            assertNotFound(alice.get("/api/v1/history?path=" + q(path)));
            tried.add("file " + path);
            assertNotFound(alice.get("/api/v1/file?path=" + q(path)));
            for (long version = 1; version <= 6; version++) {
                tried.add("file " + path + " v" + version);
                assertNotFound(alice.get("/api/v1/file?path=" + q(path) + "&version=" + version));
                tried.add("restore " + path + " v" + version);
                assertNotFound(alice.postJson("/api/v1/restore", new RestoreRequest(path, version)));
            }
            tried.add("restore " + path);
            assertNotFound(alice.postJson("/api/v1/restore", new RestoreRequest(path, null)));
        }
        tried.add("files plans");
        assertNotFound(alice.get("/api/v1/files?dir=plans"));

        // Blob hashes: Bob's current and earlier content, and one nobody has, answer alike.
        for (String sha : List.of(SECRET_SHA, OLD_SHA, NEVER_SHA)) {
            tried.add("get blob " + sha);
            Http.Response get = alice.get("/api/v1/blobs/" + sha);
            assertNotFound(get);
            assertThat(get.json(ErrorBody.class).detail()).isEqualTo("no blob " + sha + " is stored");
            tried.add("fetch " + sha);
            Http.Response fetch = alice.postJson("/api/v1/blobs/fetch", new FetchRequest(List.of(sha)));
            assertNotFound(fetch);
            assertThat(fetch.text()).doesNotContain("bob");
            tried.add("delta " + sha);
            Http.Response delta = alice.postJson("/api/v1/blobs/delta", new DeltaRequest(sha, OLD_SHA));
            assertNotFound(delta);
            assertThat(delta.json(ErrorBody.class).detail()).isEqualTo((sha.equals(OLD_SHA) ? "1 chunk is (" + sha
                    : "2 chunks are (" + sha + ", " + OLD_SHA) + ") not stored; nothing was sent");
            tried.add("signature " + sha);
            Http.Response signature = alice.get("/api/v1/blobs/" + sha + "/signature");
            assertNotFound(signature);
            assertThat(signature.json(ErrorBody.class).detail()).isEqualTo("1 chunk is (" + sha
                    + ") not stored; nothing was sent");
            tried.add("delta upload against " + sha);
            Http.Response deltaUpload = alice.put("/api/v1/blobs/" + NEVER_SHA + "?base=" + sha + "&size=4",
                    DeltaFormat.MEDIA_TYPE, HttpRequest.BodyPublishers.ofByteArray(new byte[] {'L', 0, 0, 0, 4, 1, 2, 3, 4}));
            assertNotFound(deltaUpload);
            assertThat(deltaUpload.json(ErrorBody.class).detail()).isEqualTo("1 chunk is (" + sha
                    + ") not stored; send the chunk whole");
        }
        tried.add("missing");
        assertThat(alice.postJson("/api/v1/blobs/missing", new MissingRequest(List.of(SECRET_SHA, OLD_SHA, NEVER_SHA)))
                .json(MissingResponse.class).missing()).containsExactly(SECRET_SHA, OLD_SHA, NEVER_SHA);

        // A commit that refers to Bob's chunks without uploading them is told they are missing, like any others.
        tried.add("commit with bob's chunks");
        Http.Response commit = alice.postJson("/api/v1/commit",
                new CommitRequest("alice-laptop", List.of(file("mine.txt", 0, SECRET))));
        assertThat(commit.status()).isEqualTo(422);
        assertThat(commit.json(MissingBlobsResponse.class).missing()).containsExactly(SECRET_SHA);
        // Committing over Bob's path and version is just a new path in Alice's own folder: base 0 expected.
        tried.add("commit over bob's version");
        assertThat(alice.postJson("/api/v1/commit", new CommitRequest("alice-laptop",
                List.of(Change.directory("plans/secret.txt", 5, MTIME)))).status()).isEqualTo(409);

        // Listings show only Alice's (empty) world.
        tried.add("changes");
        ChangesResponse changes = alice.get("/api/v1/changes?since=0").json(ChangesResponse.class);
        assertThat(changes.entries()).isEmpty();
        assertThat(changes.cursor()).isZero();
        assertThat(changes.indexId()).isNotEqualTo(bobBefore.indexId());
        tried.add("long poll");
        assertThat(alice.get("/api/v1/changes?since=0&wait=1").json(ChangesResponse.class).entries()).isEmpty();
        tried.add("trash");
        assertThat(alice.get("/api/v1/trash").json(TrashResponse.class).items()).isEmpty();
        tried.add("files");
        assertThat(alice.get("/api/v1/files").text()).doesNotContain("plans");
        tried.add("status");
        Http.Response status = alice.get("/api/v1/status");
        assertThat(status.text()).contains("\"files\":0", "\"sequence\":0");
        tried.add("metrics");
        assertThat(alice.get("/metrics").status()).isEqualTo(403);

        assertThat(dataListing()).isEqualTo(before);
        assertThat(bob.get("/api/v1/changes?since=0").json(ChangesResponse.class)).isEqualTo(bobBefore);
        System.out.println("UserIsolationTest: alice tried " + tried.size() + " requests against bob's data");
    }

    @Test
    void uploadingContentBobHasLooksLikeAnyFirstUpload() throws Exception {
        // PUT: 201 "created" for Alice, although the store had the bytes already.
        assertThat(alice.put("/api/v1/blobs/" + SECRET_SHA, SECRET).status()).isEqualTo(201);
        assertThat(alice.put("/api/v1/blobs/" + SECRET_SHA, SECRET).status()).isEqualTo(200);
        // A pack: Bob's content counts as stored (new to her), not as already present.
        Http.Response pack = alice.post("/api/v1/blobs/pack", PackFormat.MEDIA_TYPE,
                HttpRequest.BodyPublishers.ofByteArray(Packs.of(List.of(OLD, NEVER))));
        assertThat(pack.json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(2, 0));
        // Having proved she has the bytes, she may use them.
        commit(alice, file("copy.txt", 0, SECRET));
        assertThat(alice.get("/api/v1/blobs/" + SECRET_SHA).body()).isEqualTo(SECRET);
        assertThat(alice.postJson("/api/v1/blobs/missing", new MissingRequest(List.of(SECRET_SHA, OLD_SHA)))
                .json(MissingResponse.class).missing()).isEmpty();
        // And Bob still sees his own, stored once.
        assertThat(bob.get("/api/v1/blobs/" + SECRET_SHA).body()).isEqualTo(SECRET);
    }

    @Test
    void ownershipSurvivesARestartAndStaysPerUser() throws Exception {
        assertThat(alice.put("/api/v1/blobs/" + NEVER_SHA, NEVER).status()).isEqualTo(201);
        String aliceToken = alice.authorization();
        String bobToken = bob.authorization();
        server.close();

        server = SyncServer.start(usersOnly(data));
        alice = new Http(server.baseUrl(), aliceToken);
        bob = new Http(server.baseUrl(), bobToken);

        assertThat(alice.postJson("/api/v1/blobs/missing", new MissingRequest(List.of(NEVER_SHA, SECRET_SHA)))
                .json(MissingResponse.class).missing()).containsExactly(SECRET_SHA);
        assertThat(bob.postJson("/api/v1/blobs/missing", new MissingRequest(List.of(NEVER_SHA, SECRET_SHA, OLD_SHA)))
                .json(MissingResponse.class).missing()).containsExactly(NEVER_SHA);
    }

    @Test
    void garbageCollectionKeepsEveryUsersReferencesAndDropsOnlyUnusedUploads() throws Exception {
        String aliceToken = alice.authorization();
        String bobToken = bob.authorization();
        server.close();
        server = SyncServer.start(usersOnly(data).withCollection(Duration.ZERO, Duration.ofDays(1)));
        alice = new Http(server.baseUrl(), aliceToken);
        bob = new Http(server.baseUrl(), bobToken);
        assertThat(alice.put("/api/v1/blobs/" + NEVER_SHA, NEVER).status()).isEqualTo(201);

        server.collectGarbage();

        assertThat(bob.get("/api/v1/blobs/" + SECRET_SHA).body()).isEqualTo(SECRET);
        assertThat(bob.get("/api/v1/blobs/" + OLD_SHA).body()).isEqualTo(OLD);
        assertThat(alice.postJson("/api/v1/blobs/missing", new MissingRequest(List.of(NEVER_SHA)))
                .json(MissingResponse.class).missing()).containsExactly(NEVER_SHA);
    }
}
