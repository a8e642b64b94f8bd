package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.HistoryResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile paths against every route that takes a path (or a blob name), in the URL (percent-encoded, and raw where
 * a raw request can carry it) and in JSON bodies: each gets a 4xx with the JSON error body and changes nothing on
 * disk. Names only Windows minds ({@code CON}, trailing dots and spaces) are ordinary names on this server, which
 * never makes a file from a path: they are checked to stay in the index and nowhere else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostilePathTest {
    private static final String TOKEN = "hostile-test-token";
    private static final byte[] CONTENT = "content".getBytes(StandardCharsets.UTF_8);
    private static final String SHA = Hashing.sha256Hex(CONTENT);
    private static final AtomicInteger TRIED = new AtomicInteger();

    /** A hostile path: as the server would see it, and as it is written raw into a URL (null: cannot be). */
    record Hostile(String label, String path, String raw) {
        @Override
        public String toString() {
            return label;
        }
    }

    static final List<Hostile> HOSTILE = List.of(
            new Hostile("..", "..", ".."),
            new Hostile("../etc/passwd", "../etc/passwd", "../etc/passwd"),
            new Hostile("docs/../../x", "docs/../../x", "docs/../../x"),
            new Hostile(".", ".", "."),
            new Hostile("a/./b", "a/./b", "a/./b"),
            new Hostile("%2e%2e decoded", "..", "%2e%2e"),
            new Hostile("%2e%2e/%2e%2e/etc/passwd", "../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd"),
            new Hostile("..%2f..%2fetc", "../../etc", "..%2f..%2fetc"),
            new Hostile("%2E%2E upper case", "..", "%2E%2E"),
            new Hostile("/abs", "/abs", "/abs"),
            new Hostile("/etc/passwd", "/etc/passwd", "/etc/passwd"),
            new Hostile("a\\b", "a\\b", "a\\b"),
            new Hostile("..\\..\\windows", "..\\..\\windows", "..\\..\\windows"),
            new Hostile("C:\\\\x drive", "C:\\x", "C:\\x"),
            new Hostile("a//b", "a//b", "a//b"),
            new Hostile("trailing slash a/", "a/", "a/"),
            new Hostile("empty", "", ""),
            new Hostile("NUL byte", "a\u0000b", "a\u0000b"),
            new Hostile("%00 NUL", "a\u0000b", "a%00b"),
            new Hostile("SOH control", "a\u0001b", "a\u0001b"),
            new Hostile("tab", "a\tb", "a\tb"),
            new Hostile("newline (request splitting)", "a\nb", "a\r\nX-Injected: 1\r\n"),
            new Hostile("escape sequence", "evil\u001b[31m", "evil\u001b[31m"),
            new Hostile("DEL", "del\u007f", "del\u007f"),
            new Hostile("C1 control U+0085", "c1\u0085", "c1%C2%85"),
            new Hostile("300-byte segment", "x".repeat(300), "x".repeat(300)),
            new Hostile("256-byte segment of é", "é".repeat(128), null),
            new Hostile("5000-byte path", ("d".repeat(99) + "/").repeat(50) + "f", ("d".repeat(99) + "/").repeat(50) + "f"),
            new Hostile("NFD cafe\u0301", "cafe\u0301.txt", "cafe%CC%81.txt"),
            new Hostile("lone surrogate", "lone\ud800", null),
            new Hostile(".sync state", ".sync/state.bin", ".sync/state.bin"),
            new Hostile(".SYNC any case", ".SYNC/x", ".SYNC/x"));

    /** Names that are fine on Linux and macOS; the Windows client handles them itself. */
    static final List<String> ORDINARY = List.of("CON", "con.txt", "NUL", "AUX/COM1.txt", "LPT1", "trailing.",
            "trailing ", "dots...", "dir./file", "PRN ");

    /** A way to hand a path to the server. */
    enum Route {
        HISTORY_ENCODED, FILE_ENCODED, FILE_VERSION_ENCODED, FILES_ENCODED, BLOB_GET_ENCODED, BLOB_PUT_ENCODED,
        HISTORY_RAW, FILE_RAW, FILES_RAW, BLOB_GET_RAW,
        COMMIT_FILE_JSON, COMMIT_DIR_JSON, COMMIT_DELETE_JSON, RESTORE_JSON, RESTORE_VERSION_JSON
    }

    @TempDir
    static Path data;

    private SyncServer server;
    private Http http;

    @BeforeAll
    void start() throws Exception {
        server = SyncServer.start(ServerConfig.localhost(data, TOKEN));
        http = new Http(server.baseUrl(), TOKEN);
        assertThat(http.put("/api/v1/blobs/" + SHA, CONTENT).status()).isEqualTo(201);
        Http.Response seeded = http.postJson("/api/v1/commit", new CommitRequest("seed", List.of(
                Change.directory("docs", 0, 1), file("docs/a.txt", 0))));
        assertThat(seeded.status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        server.close();
        System.out.println("HostilePathTest: " + TRIED.get() + " hostile inputs tried");
    }

    private static Change file(String path, long base) {
        return Change.file(path, base, SHA, CONTENT.length, 1_700_000_000_000L, false,
                List.of(new ChunkRef(SHA, CONTENT.length)));
    }

    static Stream<Arguments> hostileCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Hostile hostile : HOSTILE) {
            for (Route route : Route.values()) {
                boolean raw = route.name().endsWith("_RAW");
                if (raw && hostile.raw() == null) {
                    continue; // a raw URL cannot carry it; the encoded and JSON forms still try it
                }
                if (hostile.path().isEmpty() && (route == Route.FILES_ENCODED || route == Route.FILES_RAW)) {
                    continue; // an empty folder is the top folder, listed by design
                }
                cases.add(Arguments.of(hostile, route));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("hostileCases")
    void hostilePathIsRefusedWithAJsonErrorAndChangesNothing(Hostile hostile, Route route) throws Exception {
        Map<String, Long> before = listing();
        long sequence = sequence();

        Answer answer = send(route, hostile);
        TRIED.incrementAndGet();

        if (hostile.raw() != null && hostile.raw().contains("\r\n") && route.name().endsWith("_RAW")) {
            // A raw line break ends the request line before its HTTP version: HTTP/0.9, which Jetty refuses with
            // 505 before any route runs (the injected header never becomes one). The only non-4xx refusal.
            assertThat(answer.status()).as(answer.toString()).isEqualTo(505);
        } else {
            assertThat(answer.status()).as(answer.toString()).isBetween(400, 499);
        }
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/json");
        ErrorBody error = Json.mapper().readValue(answer.body(), ErrorBody.class);
        assertThat(error.error()).as(answer.toString()).isNotBlank();
        assertThat(error.detail()).as(answer.toString()).isNotBlank();
        assertThat(sequence()).isEqualTo(sequence);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void nfcAndNfdSpellingsOfOneNameCannotBothGetIn() throws Exception {
        Map<String, Long> before = listing();
        Http.Response both = http.postJson("/api/v1/commit", new CommitRequest("d", List.of(
                file("caf\u00e9.txt", 0), file("cafe\u0301.txt", 0))));
        TRIED.incrementAndGet();

        assertThat(both.status()).as(both.toString()).isEqualTo(400);
        assertThat(both.json(ErrorBody.class).detail()).contains("NFC");
        assertThat(listing()).isEqualTo(before);

        assertThat(http.postJson("/api/v1/commit", new CommitRequest("d", List.of(file("caf\u00e9.txt", 0))))
                .status()).isEqualTo(200);
        Http.Response nfdLater = http.postJson("/api/v1/commit", new CommitRequest("d", List.of(
                file("cafe\u0301.txt", 0))));
        TRIED.incrementAndGet();
        assertThat(nfdLater.status()).isEqualTo(400);
    }

    @Test
    void namesOnlyWindowsMindsAreOrdinaryAndNeverBecomeFilesOnTheServer() throws Exception {
        for (String name : ORDINARY) {
            TRIED.incrementAndGet();
            String path = "win/" + name;
            Http.Response commit = http.postJson("/api/v1/commit", new CommitRequest("d", List.of(file(path, 0))));
            assertThat(commit.status()).as(name + ": " + commit).isEqualTo(200);
            assertThat(http.get("/api/v1/history?path=" + query(path)).json(HistoryResponse.class).path())
                    .isEqualTo(path);
            assertThat(http.get("/api/v1/file?path=" + query(path)).body()).isEqualTo(CONTENT);
        }
        try (Stream<Path> files = Files.walk(data)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            for (String name : ORDINARY) {
                String last = name.substring(name.lastIndexOf('/') + 1);
                assertThat(names).as("the server made a file of a path").doesNotContain(last, "win");
            }
        }
    }

    /** What was answered, however it was sent. */
    private record Answer(int status, String contentType, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private Answer send(Route route, Hostile hostile) throws Exception {
        String path = hostile.path();
        return switch (route) {
            case HISTORY_ENCODED -> of(http.get("/api/v1/history?path=" + query(path)));
            case FILE_ENCODED -> of(http.get("/api/v1/file?path=" + query(path)));
            case FILE_VERSION_ENCODED -> of(http.get("/api/v1/file?version=1&path=" + query(path)));
            case FILES_ENCODED -> of(http.get("/api/v1/files?dir=" + query(path)));
            case BLOB_GET_ENCODED -> of(http.get("/api/v1/blobs/" + segment(path)));
            case BLOB_PUT_ENCODED -> of(http.put("/api/v1/blobs/" + segment(path), CONTENT));
            case HISTORY_RAW -> raw("/api/v1/history?path=" + hostile.raw());
            case FILE_RAW -> raw("/api/v1/file?path=" + hostile.raw());
            case FILES_RAW -> raw("/api/v1/files?dir=" + hostile.raw());
            case BLOB_GET_RAW -> raw("/api/v1/blobs/" + hostile.raw());
            case COMMIT_FILE_JSON -> of(http.post("/api/v1/commit", "{\"device\":\"d\",\"changes\":[{\"path\":"
                    + jsonString(path) + ",\"kind\":\"FILE\",\"deleted\":false,\"baseVersion\":0,\"sha256\":\""
                    + SHA + "\",\"size\":" + CONTENT.length + ",\"mtime\":1,\"executable\":false,\"chunks\":[{"
                    + "\"sha256\":\"" + SHA + "\",\"size\":" + CONTENT.length + "}]}]}"));
            case COMMIT_DIR_JSON -> of(http.post("/api/v1/commit", "{\"device\":\"d\",\"changes\":[{\"path\":"
                    + jsonString(path) + ",\"kind\":\"DIRECTORY\",\"deleted\":false,\"baseVersion\":0,\"size\":0,"
                    + "\"mtime\":1,\"executable\":false,\"chunks\":[]}]}"));
            case COMMIT_DELETE_JSON -> of(http.post("/api/v1/commit", "{\"device\":\"d\",\"changes\":[{\"path\":"
                    + jsonString(path) + ",\"kind\":\"FILE\",\"deleted\":true,\"baseVersion\":2,\"size\":0,"
                    + "\"mtime\":1,\"executable\":false,\"chunks\":[]}]}"));
            case RESTORE_JSON -> of(http.post("/api/v1/restore", "{\"path\":" + jsonString(path) + "}"));
            case RESTORE_VERSION_JSON -> of(http.post("/api/v1/restore",
                    "{\"path\":" + jsonString(path) + ",\"version\":2}"));
        };
    }

    private static Answer of(Http.Response response) {
        return new Answer(response.status(), response.headers().firstValue("Content-Type").orElse(""),
                response.text());
    }

    private Answer raw(String target) throws Exception {
        RawHttp.Answer answer = RawHttp.request(server.port(), "GET", target, TOKEN);
        String type = answer.headers().lines().filter(line -> line.startsWith("content-type:"))
                .map(line -> line.substring("content-type:".length()).strip()).findFirst().orElse("");
        return new Answer(answer.status(), type, answer.body());
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Returns {@code value} as a JSON string of plain ASCII, every other character escaped (lone surrogates too). */
    private static String jsonString(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                json.append(c);
            } else {
                json.append(String.format("\\u%04x", (int) c));
            }
        }
        return json.append('"').toString();
    }

    private long sequence() throws Exception {
        return http.get("/api/v1/changes?since=0").json(ChangesResponse.class).cursor();
    }

    private Map<String, Long> listing() throws Exception {
        Map<String, Long> listing = new TreeMap<>();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                listing.put(data.relativize(file).toString(), Files.isRegularFile(file) ? Files.size(file) : -1);
            }
        }
        return listing;
    }
}
