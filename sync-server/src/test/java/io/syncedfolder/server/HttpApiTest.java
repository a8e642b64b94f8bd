package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.MissingBlobsResponse;
import io.syncedfolder.common.protocol.MissingRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.StaleResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpApiTest extends ServerTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final String HELLO_SHA = Hashing.sha256Hex(HELLO);

    private static Change helloFile(String path, long base) {
        return Change.file(path, base, HELLO_SHA, HELLO.length, 1_700_000_000_000L, false,
                List.of(new ChunkRef(HELLO_SHA, HELLO.length)));
    }

    private static CommitRequest commitOf(Change... changes) {
        return new CommitRequest("laptop", List.of(changes));
    }

    private void uploadHello() throws Exception {
        assertThat(http.put("/api/v1/blobs/" + HELLO_SHA, HELLO).status()).isIn(200, 201);
    }

    private ChangesResponse allChanges() throws Exception {
        Http.Response response = http.get("/api/v1/changes?since=0");
        assertThat(response.status()).isEqualTo(200);
        return response.json(ChangesResponse.class);
    }

    private static void assertError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.json(ErrorBody.class).error()).isEqualTo(error);
    }

    @Test
    void baseUrlIsLocalhostAndTheActualPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void healthAnswersWithoutToken() throws Exception {
        Http.Response response = Http.withHeader(server.baseUrl(), null).get("/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("{\"status\":\"ok\"}");
    }

    static Stream<Arguments> apiRoutesAndBadAuthorizations() {
        List<String[]> routes = List.of(
                new String[] {"GET", "/api/v1/changes?since=0"},
                new String[] {"POST", "/api/v1/blobs/missing"},
                new String[] {"POST", "/api/v1/blobs/pack"},
                new String[] {"POST", "/api/v1/blobs/fetch"},
                new String[] {"PUT", "/api/v1/blobs/" + HELLO_SHA},
                new String[] {"GET", "/api/v1/blobs/" + HELLO_SHA},
                new String[] {"POST", "/api/v1/commit"},
                new String[] {"GET", "/api/v1/history?path=a.txt"},
                new String[] {"GET", "/api/v1/trash"},
                new String[] {"POST", "/api/v1/restore"},
                new String[] {"GET", "/api/v1/no-such-route"});
        List<String> headers = new ArrayList<>();
        headers.add(null);
        headers.addAll(List.of("Bearer wrong", "Bearer " + TOKEN + "x", "Bearer", "Bearer ", TOKEN,
                "Basic " + TOKEN, "Bearer" + TOKEN, "Token " + TOKEN));
        List<Arguments> cases = new ArrayList<>();
        for (String[] route : routes) {
            for (String header : headers) {
                cases.add(Arguments.of(route[0], route[1], header));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} with Authorization: {2}")
    @MethodSource("apiRoutesAndBadAuthorizations")
    void everyApiRouteRefusesAMissingMalformedOrWrongToken(String method, String path, String authorization)
            throws Exception {
        Http.Response response = Http.withHeader(server.baseUrl(), authorization)
                .send(method, path, HttpRequest.BodyPublishers.ofString("{\"hashes\":[]}"));

        assertError(response, 401, "unauthorized");
        assertThat(response.text()).isEqualTo("{\"error\":\"unauthorized\","
                + "\"detail\":\"a valid \\\"Authorization: Bearer <token>\\\" header is required\"}");
        assertThat(allChanges().entries()).isEmpty();
        assertThat(http.get("/api/v1/blobs/" + HELLO_SHA).status()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAnswer404Json() throws Exception {
        assertError(http.get("/nope"), 404, "not found");
        assertError(http.get("/api/v1/nope"), 404, "not found");
        assertError(http.send("DELETE", "/api/v1/blobs/" + HELLO_SHA, HttpRequest.BodyPublishers.noBody()),
                404, "not found");
    }

    @Test
    void blobUploadAndDownloadRoundTrip() throws Exception {
        assertThat(http.put("/api/v1/blobs/" + HELLO_SHA, HELLO).status()).isEqualTo(201);
        assertThat(http.put("/api/v1/blobs/" + HELLO_SHA, HELLO).status()).isEqualTo(200);

        Http.Response download = http.get("/api/v1/blobs/" + HELLO_SHA);

        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(HELLO);
        assertThat(download.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(HELLO.length);
    }

    @Test
    void blobLargerThanJavalinsDefaultRequestLimitStreamsThrough() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        String sha = Hashing.sha256Hex(big);

        assertThat(http.put("/api/v1/blobs/" + sha, big).status()).isEqualTo(201);
        assertThat(http.get("/api/v1/blobs/" + sha).body()).isEqualTo(big);
    }

    @Test
    void blobWhoseBytesDoNotMatchItsHashIsRefusedAndNotStored() throws Exception {
        Http.Response response = http.put("/api/v1/blobs/" + HELLO_SHA, "hellO".getBytes(StandardCharsets.UTF_8));

        assertError(response, 400, "hash mismatch");
        assertError(http.get("/api/v1/blobs/" + HELLO_SHA), 404, "not found");
        assertThat(http.postJson("/api/v1/blobs/missing", new MissingRequest(List.of(HELLO_SHA)))
                .json(MissingResponse.class).missing()).containsExactly(HELLO_SHA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98240"})
    void malformedBlobHashIs400(String hash) throws Exception {
        assertError(http.put("/api/v1/blobs/" + hash, HELLO), 400, "bad hash");
        assertError(http.get("/api/v1/blobs/" + hash), 400, "bad hash");
    }

    @Test
    void missingListsTheHashesNotStored() throws Exception {
        uploadHello();
        String other = Hashing.sha256Hex("other".getBytes());

        Http.Response response = http.postJson("/api/v1/blobs/missing",
                new MissingRequest(List.of(HELLO_SHA, other)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json(MissingResponse.class).missing()).containsExactly(other);
    }

    @Test
    void missingRefusesBadHashesAndTooManyHashes() throws Exception {
        assertError(http.postJson("/api/v1/blobs/missing", new MissingRequest(List.of(HELLO_SHA, "nope"))),
                400, "bad hash");
        assertError(http.post("/api/v1/blobs/missing", "{\"hashes\":[null]}"), 400, "malformed json");
        assertError(http.post("/api/v1/blobs/missing", "[1,2"), 400, "malformed json");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            tooMany.add(HELLO_SHA);
        }
        assertError(http.postJson("/api/v1/blobs/missing", new MissingRequest(tooMany)), 400, "bad request");
    }

    @Test
    void commitAppliesEveryChangeWithItsOwnVersion() throws Exception {
        uploadHello();
        Change dir = Change.directory("docs", 0, 5);
        Change hello = helloFile("docs/hello.txt", 0);
        Change empty = Change.file("docs/empty.txt", 0, Hashing.EMPTY_SHA256, 0, 6, true, List.of());

        Http.Response response = http.postJson("/api/v1/commit", commitOf(dir, hello, empty));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        CommitResponse body = response.json(CommitResponse.class);
        assertThat(body.cursor()).isEqualTo(3);
        assertThat(body.entries()).containsExactly(
                new FileEntry("docs", EntryKind.DIRECTORY, false, 1, null, 0, 5, false, List.of(), "laptop"),
                new FileEntry("docs/hello.txt", EntryKind.FILE, false, 2, HELLO_SHA, 5, 1_700_000_000_000L, false,
                        List.of(new ChunkRef(HELLO_SHA, 5)), "laptop"),
                new FileEntry("docs/empty.txt", EntryKind.FILE, false, 3, Hashing.EMPTY_SHA256, 0, 6, true,
                        List.of(), "laptop"));
        assertThat(allChanges()).usingRecursiveComparison().ignoringFields("indexId").isEqualTo(new ChangesResponse(3, false, body.entries()));
    }

    @Test
    void deletionCommitsATombstone() throws Exception {
        uploadHello();
        http.postJson("/api/v1/commit", commitOf(helloFile("a.txt", 0)));

        Http.Response response = http.postJson("/api/v1/commit",
                new CommitRequest("phone", List.of(Change.deletion("a.txt", 1, EntryKind.FILE, 99))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(allChanges().entries()).containsExactly(
                new FileEntry("a.txt", EntryKind.FILE, true, 2, null, 0, 99, false, List.of(), "phone"));
    }

    @Test
    void staleBaseVersionIs409WithTheCurrentEntryAndAppliesNothing() throws Exception {
        uploadHello();
        FileEntry current = http.postJson("/api/v1/commit", commitOf(helloFile("a.txt", 0)))
                .json(CommitResponse.class).entries().get(0);

        Http.Response response = http.postJson("/api/v1/commit",
                commitOf(helloFile("b.txt", 0), helloFile("a.txt", 0)));

        assertThat(response.status()).isEqualTo(409);
        StaleResponse stale = response.json(StaleResponse.class);
        assertThat(stale.error()).isEqualTo("stale");
        assertThat(stale.detail()).contains("a.txt");
        assertThat(stale.stalePaths()).containsExactly("a.txt");
        assertThat(stale.current()).containsExactly(current);
        assertThat(allChanges().entries()).containsExactly(current);
    }

    @Test
    void commitReferringToMissingBlobsIs422AndAppliesNothing() throws Exception {
        String absent = Hashing.sha256Hex("never uploaded".getBytes());
        Change change = Change.file("a.txt", 0, absent, 14, 1, false, List.of(new ChunkRef(absent, 14)));

        Http.Response response = http.postJson("/api/v1/commit", commitOf(change, Change.directory("d", 0, 1)));

        assertThat(response.status()).isEqualTo(422);
        MissingBlobsResponse body = response.json(MissingBlobsResponse.class);
        assertThat(body.error()).isEqualTo("missing blobs");
        assertThat(body.missing()).containsExactly(absent);
        assertThat(allChanges().entries()).isEmpty();
    }

    static Stream<Arguments> malformedCommitBodies() {
        String good = "{\"path\":\"a\",\"baseVersion\":0,\"kind\":\"DIRECTORY\",\"deleted\":false,"
                + "\"size\":0,\"mtime\":1,\"executable\":false}";
        return Stream.of(
                Arguments.of("not JSON", "{\"device\":", "malformed json"),
                Arguments.of("empty body", "", "malformed json"),
                Arguments.of("JSON null", "null", "malformed json"),
                Arguments.of("an array", "[]", "malformed json"),
                Arguments.of("trailing garbage", "{\"device\":\"d\",\"changes\":[" + good + "]} x", "malformed json"),
                Arguments.of("unknown kind", "{\"device\":\"d\",\"changes\":["
                        + good.replace("DIRECTORY", "SYMLINK") + "]}", "malformed json"),
                Arguments.of("null change", "{\"device\":\"d\",\"changes\":[null]}", "malformed json"),
                Arguments.of("no changes", "{\"device\":\"d\",\"changes\":[]}", "bad request"),
                Arguments.of("no device", "{\"changes\":[" + good + "]}", "bad request"),
                Arguments.of("blank device", "{\"device\":\"  \",\"changes\":[" + good + "]}", "bad request"),
                Arguments.of("long device", "{\"device\":\"" + "d".repeat(256) + "\",\"changes\":[" + good + "]}",
                        "bad request"),
                Arguments.of("kind null", "{\"device\":\"d\",\"changes\":["
                        + good.replace("\"DIRECTORY\"", "null") + "]}", "bad request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCommitBodies")
    void malformedCommitIs400(String name, String body, String error) throws Exception {
        assertError(http.post("/api/v1/commit", body), 400, error);
        assertThat(allChanges().entries()).isEmpty();
    }

    static Stream<Arguments> badChanges() {
        String other = Hashing.sha256Hex("x".getBytes());
        List<ChunkRef> helloChunk = List.of(new ChunkRef(HELLO_SHA, 5));
        return Stream.of(
                Arguments.of("bad file hash", Change.file("a", 0, "abc", 5, 1, false, helloChunk)),
                Arguments.of("no file hash", Change.file("a", 0, null, 5, 1, false, helloChunk)),
                Arguments.of("negative size", Change.file("a", 0, HELLO_SHA, -5, 1, false, helloChunk)),
                Arguments.of("chunk sizes do not add up", Change.file("a", 0, HELLO_SHA, 6, 1, false, helloChunk)),
                Arguments.of("no chunks for content", Change.file("a", 0, HELLO_SHA, 5, 1, false, List.of())),
                Arguments.of("bad chunk hash", Change.file("a", 0, HELLO_SHA, 5, 1, false,
                        List.of(new ChunkRef("NOPE", 5)))),
                Arguments.of("empty chunk", Change.file("a", 0, HELLO_SHA, 5, 1, false,
                        List.of(new ChunkRef(HELLO_SHA, 5), new ChunkRef(other, 0)))),
                Arguments.of("empty file with a content hash", Change.file("a", 0, HELLO_SHA, 0, 1, false,
                        List.of())),
                Arguments.of("directory with hash", new Change("a", 0, EntryKind.DIRECTORY, false, HELLO_SHA, 0, 1,
                        false, List.of())),
                Arguments.of("directory with chunks", new Change("a", 0, EntryKind.DIRECTORY, false, null, 0, 1,
                        false, helloChunk)),
                Arguments.of("negative base version", Change.directory("a", -1, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChanges")
    void changeWithBadContentIs400(String name, Change change) throws Exception {
        uploadHello();

        Http.Response response = http.postJson("/api/v1/commit", commitOf(Change.directory("ok", 0, 1), change));

        assertError(response, 400, "bad request");
        assertThat(response.json(ErrorBody.class).detail()).startsWith("changes[1] \"a\": ");
        assertThat(allChanges().entries()).isEmpty();
    }

    @Test
    void samePathTwiceInOneCommitIs400() throws Exception {
        uploadHello();

        Http.Response response = http.postJson("/api/v1/commit",
                commitOf(helloFile("a.txt", 0), Change.directory("b", 0, 1), Change.deletion("a.txt", 0,
                        EntryKind.FILE, 1)));

        assertError(response, 400, "bad request");
        assertThat(response.json(ErrorBody.class).detail()).contains("appears twice");
        assertThat(allChanges().entries()).isEmpty();
    }

    @Test
    void moreThan10000ChangesIs400() throws Exception {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            changes.add(Change.directory("d" + i, 0, 1));
        }

        assertError(http.postJson("/api/v1/commit", new CommitRequest("laptop", changes)), 400, "bad request");
        assertThat(allChanges().entries()).isEmpty();
    }

    static Stream<Arguments> badPaths() {
        return Stream.of(
                Arguments.of("../x", "\"..\" segment"),
                Arguments.of("a/../b", "\"..\" segment"),
                Arguments.of("./a", "\".\" segment"),
                Arguments.of("a//b", "empty segment"),
                Arguments.of("a/", "empty segment"),
                Arguments.of("/abs", "absolute"),
                Arguments.of("a\\b", "backslash"),
                Arguments.of("a\u0000b", "NUL"),
                Arguments.of("a\u0001b", "control character"),
                Arguments.of("x".repeat(300), "longer than 255 bytes"),
                Arguments.of("a/".repeat(2500) + "b", "longer than 4096 bytes"),
                Arguments.of("e\u0301", "NFC"),
                Arguments.of(".sync/state", "reserved"),
                Arguments.of("", "empty"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badPaths")
    void badPathIs400AndChangesNothing(String path, String reason) throws Exception {
        uploadHello();
        http.postJson("/api/v1/commit", commitOf(Change.directory("existing", 0, 1)));
        ChangesResponse before = allChanges();

        Http.Response response = http.postJson("/api/v1/commit",
                commitOf(Change.directory("fine", 1, 1), helloFile(path, 0)));

        assertError(response, 400, "bad path");
        assertThat(response.json(ErrorBody.class).detail()).startsWith("changes[1]: bad path").contains(reason);
        assertThat(allChanges()).isEqualTo(before);
    }

    @Test
    void changesFeedPagesBySinceAndLimit() throws Exception {
        for (int i = 0; i < 5; i++) {
            http.postJson("/api/v1/commit", commitOf(Change.directory("d" + i, 0, i)));
        }

        ChangesResponse first = http.get("/api/v1/changes?since=0&limit=2").json(ChangesResponse.class);
        ChangesResponse second = http.get("/api/v1/changes?since=" + first.cursor() + "&limit=2")
                .json(ChangesResponse.class);
        ChangesResponse last = http.get("/api/v1/changes?since=" + second.cursor() + "&limit=2")
                .json(ChangesResponse.class);

        assertThat(first.entries()).extracting(FileEntry::path).containsExactly("d0", "d1");
        assertThat(first.more()).isTrue();
        assertThat(first.cursor()).isEqualTo(2);
        assertThat(second.entries()).extracting(FileEntry::path).containsExactly("d2", "d3");
        assertThat(last.entries()).extracting(FileEntry::path).containsExactly("d4");
        assertThat(last.more()).isFalse();
        assertThat(last.cursor()).isEqualTo(5);
        assertThat(http.get("/api/v1/changes").json(ChangesResponse.class).entries()).hasSize(5);
        assertThat(http.get("/api/v1/changes?since=3&limit=99999").json(ChangesResponse.class).entries())
                .extracting(FileEntry::path).containsExactly("d3", "d4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"since=-1", "since=abc", "since=", "since=1.5", "limit=-3", "limit=0", "limit=x",
            "since=99999999999999999999"})
    void badSinceOrLimitIs400(String query) throws Exception {
        assertError(http.get("/api/v1/changes?" + query), 400, "bad request");
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsEverything() throws Exception {
        uploadHello();
        http.postJson("/api/v1/commit", commitOf(helloFile("a.txt", 0), Change.directory("d", 0, 1)));
        http.postJson("/api/v1/commit", commitOf(Change.deletion("d", 2, EntryKind.DIRECTORY, 3)));
        ChangesResponse before = allChanges();
        server.close();

        server = SyncServer.start(ServerConfig.localhost(data, TOKEN));
        http = new Http(server.baseUrl(), TOKEN);

        assertThat(allChanges()).isEqualTo(before);
        assertThat(http.get("/api/v1/blobs/" + HELLO_SHA).body()).isEqualTo(HELLO);
        assertThat(http.postJson("/api/v1/commit", commitOf(helloFile("b.txt", 0)))
                .json(CommitResponse.class).cursor()).isEqualTo(4);
    }

    @Test
    void statsCountCommitsByOutcomeAndBlobTransfers() throws Exception {
        assertThat(server.stats()).isEqualTo(new ServerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        uploadHello();
        assertThat(http.put("/api/v1/blobs/" + HELLO_SHA, HELLO).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/blobs/" + HELLO_SHA).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/blobs/" + Hashing.sha256Hex("absent".getBytes())).status()).isEqualTo(404);
        assertThat(http.postJson("/api/v1/commit", commitOf(helloFile("a.txt", 0))).status()).isEqualTo(200);
        assertThat(http.postJson("/api/v1/commit", commitOf(helloFile("a.txt", 0))).status()).isEqualTo(409);
        assertThat(http.post("/api/v1/commit", "{").status()).isEqualTo(400);
        allChanges();

        assertThat(server.stats()).isEqualTo(new ServerStats(3, 1, 1, 0, 1, 1, 0, 0, 10, 5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void secondServerOnTheSameDataDirectoryIsRefused() {
        assertThatThrownBy(() -> SyncServer.start(ServerConfig.localhost(data, TOKEN)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("in use by another sync-server");
    }
}
