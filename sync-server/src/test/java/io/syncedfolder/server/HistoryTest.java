package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.HistoryResponse;
import io.syncedfolder.common.protocol.RestoreRequest;
import io.syncedfolder.common.protocol.TrashItem;
import io.syncedfolder.common.protocol.TrashResponse;
import io.syncedfolder.common.protocol.VersionInfo;
import io.syncedfolder.server.index.RetentionPolicy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The history, trash and restore routes (issue 6), on a real server with a clock the tests move. */
class HistoryTest {
    private static final String TOKEN = "history-token";
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path data;

    private final TestClock clock = TestClock.atNow();
    private SyncServer server;
    private Http http;

    private void start(RetentionPolicy retention) throws Exception {
        server = SyncServer.start(ServerConfig.localhost(data, TOKEN).withRetention(retention), clock);
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

    /** Uploads {@code content} and commits it as {@code path} on top of {@code base}; returns the new entry. */
    private FileEntry write(String path, long base, String content) throws Exception {
        byte[] body = bytes(content);
        String sha = Hashing.sha256Hex(body);
        assertThat(http.put("/api/v1/blobs/" + sha, body).status()).isIn(200, 201);
        return commit(Change.file(path, base, sha, body.length, clock.millis(), false,
                List.of(new ChunkRef(sha, body.length))));
    }

    private FileEntry delete(String path, long base, EntryKind kind) throws Exception {
        return commit(Change.deletion(path, base, kind, clock.millis()));
    }

    private FileEntry commit(Change change) throws Exception {
        Http.Response response = http.postJson("/api/v1/commit", new CommitRequest("laptop", List.of(change)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<FileEntry> entries = response.json(CommitResponse.class).entries();
        return entries.get(0);
    }

    private Http.Response historyOf(String path) throws Exception {
        return http.get("/api/v1/history?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
    }

    private HistoryResponse history(String path) throws Exception {
        Http.Response response = historyOf(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json(HistoryResponse.class);
    }

    private static List<Long> versions(HistoryResponse history) {
        return history.versions().stream().map(VersionInfo::version).toList();
    }

    private Http.Response restore(String path, Long version) throws Exception {
        return http.postJson("/api/v1/restore", new RestoreRequest(path, version));
    }

    private TrashResponse trash() throws Exception {
        Http.Response response = http.get("/api/v1/trash");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json(TrashResponse.class);
    }

    private static void assertError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.json(ErrorBody.class).error()).isEqualTo(error);
    }

    @Test
    void historyListsTheCurrentVersionThenTheEarlierOnesNewestFirst() throws Exception {
        start(RetentionPolicy.DEFAULT);
        long t0 = clock.millis();
        FileEntry v1 = write("docs/a.txt", 0, "one");
        clock.advance(HOUR);
        FileEntry v2 = write("docs/a.txt", v1.version(), "two!");
        clock.advance(HOUR);
        FileEntry v3 = delete("docs/a.txt", v2.version(), EntryKind.FILE);
        clock.advance(HOUR);
        FileEntry v4 = write("docs/a.txt", v3.version(), "three");

        HistoryResponse history = history("docs/a.txt");

        assertThat(history.path()).isEqualTo("docs/a.txt");
        assertThat(history.versions()).containsExactly(
                VersionInfo.of(v4, null),
                new VersionInfo(v3.version(), EntryKind.FILE, true, 0, v3.mtime(), null, "laptop",
                        t0 + 3 * HOUR.toMillis()),
                new VersionInfo(v2.version(), EntryKind.FILE, false, 4, v2.mtime(), v2.sha256(), "laptop",
                        t0 + 2 * HOUR.toMillis()),
                new VersionInfo(v1.version(), EntryKind.FILE, false, 3, v1.mtime(), v1.sha256(), "laptop",
                        t0 + HOUR.toMillis()));
        // Every field is there, null included, so a client can rely on the shape.
        assertThat(historyOf("docs/a.txt").text()).contains("\"replacedAt\":null").contains("\"sha256\":null");
    }

    @Test
    void historySurvivesARestart() throws Exception {
        start(RetentionPolicy.DEFAULT);
        FileEntry v1 = write("a.txt", 0, "one");
        clock.advance(HOUR);
        FileEntry v2 = write("a.txt", v1.version(), "two");
        clock.advance(HOUR);
        delete("a.txt", v2.version(), EntryKind.FILE);
        HistoryResponse before = history("a.txt");
        TrashResponse trashBefore = trash();
        server.close();

        start(RetentionPolicy.DEFAULT);

        assertThat(history("a.txt")).isEqualTo(before);
        assertThat(trash()).isEqualTo(trashBefore);
        assertThat(versions(before)).containsExactly(3L, 2L, 1L);
    }

    @Test
    void retentionKeepsAtMostNEarlierVersions() throws Exception {
        start(new RetentionPolicy(2, Duration.ofDays(30)));
        long version = 0;
        for (int i = 1; i <= 5; i++) {
            version = write("a.txt", version, "content " + i).version();
        }

        assertThat(versions(history("a.txt"))).containsExactly(5L, 4L, 3L);
        assertError(restore("a.txt", 2L), 404, "not found");
    }

    @Test
    void retentionDropsVersionsReplacedLongerAgoThanTheKeepPeriod() throws Exception {
        start(new RetentionPolicy(20, Duration.ofDays(1)));
        FileEntry v1 = write("a.txt", 0, "old");
        clock.advance(Duration.ofHours(12));
        FileEntry v2 = write("a.txt", v1.version(), "newer");
        clock.advance(Duration.ofHours(12));
        write("a.txt", v2.version(), "newest");
        clock.advance(Duration.ofHours(11));

        assertThat(versions(history("a.txt"))).as("v1 replaced 23 h ago, v2 11 h ago").containsExactly(3L, 2L, 1L);

        clock.advance(HOUR);
        assertThat(versions(history("a.txt"))).as("v1 replaced exactly 1 day ago").containsExactly(3L, 2L);
        assertThat(server.collectGarbage().versionsDropped()).isEqualTo(1);

        clock.advance(Duration.ofHours(12));
        assertThat(versions(history("a.txt"))).containsExactly(3L);
        assertThat(server.collectGarbage().versionsDropped()).isEqualTo(1);
    }

    @Test
    void trashListsDeletedFilesWithTheirLastVersionNewestDeletionFirst() throws Exception {
        start(new RetentionPolicy(20, Duration.ofDays(2)));
        FileEntry a1 = write("a.txt", 0, "a one");
        FileEntry a2 = write("a.txt", a1.version(), "a two");
        FileEntry b1 = write("dir/b.txt", 0, "b");
        FileEntry dir = commit(Change.directory("gone", 0, clock.millis()));
        FileEntry live = write("live.txt", 0, "still here");
        write("live.txt", live.version(), "edited");
        long firstDeletion = clock.millis();
        FileEntry aGone = delete("a.txt", a2.version(), EntryKind.FILE);
        delete("gone", dir.version(), EntryKind.DIRECTORY);
        clock.advance(Duration.ofDays(1));
        FileEntry bGone = delete("dir/b.txt", b1.version(), EntryKind.FILE);

        TrashResponse trash = trash();

        assertThat(trash.items()).containsExactly(
                new TrashItem("dir/b.txt", bGone.version(), clock.millis(), "laptop", VersionInfo.of(b1, clock.millis())),
                new TrashItem("a.txt", aGone.version(), firstDeletion, "laptop", VersionInfo.of(a2, firstDeletion)));

        clock.advance(Duration.ofDays(1));
        assertThat(trash().items()).extracting(TrashItem::path).as("a.txt was deleted 2 days ago")
                .containsExactly("dir/b.txt");
    }

    @Test
    void restoringAModifiedFileMakesTheOldContentANewVersionInTheFeed() throws Exception {
        start(RetentionPolicy.DEFAULT);
        FileEntry v1 = write("a.txt", 0, "the good version");
        FileEntry v2 = write("a.txt", v1.version(), "an unfortunate edit");
        clock.advance(HOUR);

        Http.Response response = restore("a.txt", v1.version());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        FileEntry restored = response.json(FileEntry.class);
        assertThat(restored).isEqualTo(new FileEntry("a.txt", EntryKind.FILE, false, 3, v1.sha256(), v1.size(),
                clock.millis(), false, v1.chunks(), "restore"));
        ChangesResponse feed = http.get("/api/v1/changes?since=" + v2.version()).json(ChangesResponse.class);
        assertThat(feed.entries()).containsExactly(restored);
        Http.Response fetched = http.postJson("/api/v1/blobs/fetch",
                new FetchRequest(List.of(restored.chunks().get(0).sha256())));
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(Packs.of(List.of(bytes("the good version"))));
        assertThat(versions(history("a.txt"))).containsExactly(3L, 2L, 1L);
        assertThat(server.stats().restores()).isEqualTo(1);
    }

    @Test
    void restoringADeletedFileWithoutAVersionBringsBackItsLastVersionAndItsFolder() throws Exception {
        start(RetentionPolicy.DEFAULT);
        FileEntry folder = commit(Change.directory("photos", 0, clock.millis()));
        FileEntry v1 = write("photos/cat.jpg", 0, "meow");
        FileEntry v2 = write("photos/cat.jpg", v1.version(), "meow meow");
        FileEntry gone = delete("photos/cat.jpg", v2.version(), EntryKind.FILE);
        FileEntry folderGone = delete("photos", folder.version(), EntryKind.DIRECTORY);

        Http.Response response = restore("photos/cat.jpg", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        FileEntry restored = response.json(FileEntry.class);
        assertThat(restored.sha256()).isEqualTo(v2.sha256());
        assertThat(restored.version()).isEqualTo(folderGone.version() + 2);
        ChangesResponse feed = http.get("/api/v1/changes?since=" + folderGone.version()).json(ChangesResponse.class);
        assertThat(feed.entries()).extracting(FileEntry::path, FileEntry::isLiveDirectory, FileEntry::isLiveFile)
                .containsExactly(tuple("photos", true, false),
                        tuple("photos/cat.jpg", false, true));
        assertThat(http.get("/api/v1/blobs/" + restored.chunks().get(0).sha256()).body()).isEqualTo(bytes("meow meow"));
        assertThat(trash().items()).isEmpty();
        assertThat(history("photos/cat.jpg").versions().get(1).version()).isEqualTo(gone.version());
    }

    @Test
    void restoreRefusesWhatItCannotBringBack() throws Exception {
        start(RetentionPolicy.DEFAULT);
        FileEntry dir = commit(Change.directory("d", 0, clock.millis()));
        FileEntry v1 = write("a.txt", 0, "x");
        FileEntry gone = delete("a.txt", v1.version(), EntryKind.FILE);
        write("a.txt", gone.version(), "y");
        delete("d", dir.version(), EntryKind.DIRECTORY);

        assertError(restore("a.txt", 99L), 404, "not found");
        assertError(restore("never.txt", null), 404, "not found");
        assertError(restore("never.txt", 1L), 404, "not found");
        assertError(restore("a.txt", gone.version()), 400, "bad request");
        assertError(restore("d", dir.version()), 400, "bad request");
        assertError(restore("d", null), 404, "not found");
        assertError(restore("a.txt", 0L), 400, "bad request");
        assertError(restore("a.txt", -3L), 400, "bad request");
        assertError(restore(null, 1L), 400, "bad request");
        assertError(restore("../a.txt", 1L), 400, "bad path");
        assertError(http.post("/api/v1/restore", "{\"path\":\"a.txt\",\"version\":\"new\"}"), 400, "malformed json");
        assertError(http.post("/api/v1/restore", "{\"path\":"), 400, "malformed json");
        assertError(http.post("/api/v1/restore", "null"), 400, "malformed json");
        assertThat(server.stats().restores()).isZero();
    }

    @Test
    void restoreUnderAFolderThatIsAFileNowIsAConflict() throws Exception {
        start(RetentionPolicy.DEFAULT);
        FileEntry dir = commit(Change.directory("d", 0, clock.millis()));
        FileEntry inside = write("d/a.txt", 0, "inside");
        delete("d/a.txt", inside.version(), EntryKind.FILE);
        FileEntry dirGone = delete("d", dir.version(), EntryKind.DIRECTORY);
        write("d", dirGone.version(), "a file called d");

        assertError(restore("d/a.txt", null), 409, "conflict");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "a/../b", "a//b", "a\\b", "./a", "a/", "%00"})
    void historyOfABadPathIs400(String path) throws Exception {
        start(RetentionPolicy.DEFAULT);
        assertError(http.get("/api/v1/history?path=" + (path.equals("%00") ? path
                : URLEncoder.encode(path, StandardCharsets.UTF_8))), 400, "bad path");
    }

    @Test
    void historyOfAMissingOrUnknownPath() throws Exception {
        start(RetentionPolicy.DEFAULT);
        assertError(http.get("/api/v1/history"), 400, "bad request");
        assertError(historyOf("never.txt"), 404, "not found");
    }

    @Test
    void theNewRoutesNeedTheToken() throws Exception {
        start(RetentionPolicy.DEFAULT);
        Http stranger = new Http(server.baseUrl(), "wrong");
        for (Map.Entry<String, Http.Response> answer : Map.of(
                "history", stranger.get("/api/v1/history?path=a.txt"),
                "trash", stranger.get("/api/v1/trash"),
                "restore", stranger.postJson("/api/v1/restore", new RestoreRequest("a.txt", 1L))).entrySet()) {
            assertThat(answer.getValue().status()).as(answer.getKey()).isEqualTo(401);
        }
    }
}
