package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.FolderListing;
import io.syncedfolder.common.protocol.ListedEntry;
import io.syncedfolder.server.web.ApiSeed;
import io.syncedfolder.server.web.ServerVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The routes the web page uses beyond the sync protocol, on a real server: the page itself, /files, /file, /status. */
class WebApiTest {
    private static final String TOKEN = "web-api-token";
    private static final byte[] REPORT = "quarterly report\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PHOTO = new byte[250_000];

    @TempDir
    Path data;
    private SyncServer server;
    private Http http;
    private ApiSeed seed;

    @BeforeEach
    void start() throws Exception {
        new Random(7).nextBytes(PHOTO);
        server = SyncServer.start(ServerConfig.localhost(data, TOKEN));
        http = new Http(server.baseUrl(), TOKEN);
        seed = new ApiSeed(server.baseUrl(), TOKEN, "laptop");
        seed.folder("docs");
        seed.file("docs/report.txt", REPORT);
        seed.folder("docs/plans");
        seed.file("photos/cat.bin", PHOTO, 100_000);
        seed.file("README.md", "# Notes\n".getBytes(StandardCharsets.UTF_8));
        seed.file("gone.txt", REPORT);
        seed.delete("gone.txt");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesTheWebPageWithoutATokenUnderAPolicyThatAllowsOnlyItsOwnScripts() throws Exception {
        Http anonymous = Http.withHeader(server.baseUrl(), null);

        Http.Response page = anonymous.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.text()).contains("<title>Synced Folder</title>", "<script src=\"app.js\" defer></script>");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        Http.Response script = anonymous.get("/app.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).contains("javascript"));
        assertThat(script.text()).contains("sessionStorage").doesNotContain("localStorage.setItem");
        assertThat(anonymous.get("/app.css").headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/css"));

        for (String route : List.of("/api/v1/files", "/api/v1/file?path=README.md", "/api/v1/status")) {
            assertError(anonymous.get(route), 401, "unauthorized");
        }
    }

    @Test
    void listsAFolderWithFoldersFirstAndWithoutDeletedFiles() throws Exception {
        FolderListing top = listing("");
        assertThat(top.dir()).isEmpty();
        assertThat(top.entries()).extracting(ListedEntry::name).containsExactly("docs", "photos", "README.md");
        ListedEntry readme = top.entries().get(2);
        assertThat(readme).isEqualTo(new ListedEntry("README.md", "README.md", EntryKind.FILE, 8, ApiSeed.MTIME,
                readme.version(), "laptop"));
        // "photos" has no folder entry: the index knows it only from the file inside.
        assertThat(top.entries().get(1)).isEqualTo(
                new ListedEntry("photos", "photos", EntryKind.DIRECTORY, 0, 0, 0, null));

        assertThat(listing("docs").entries()).extracting(ListedEntry::path, ListedEntry::kind).containsExactly(
                tuple("docs/plans", EntryKind.DIRECTORY), tuple("docs/report.txt", EntryKind.FILE));
        assertThat(listing("docs/plans").entries()).isEmpty();
        assertThat(listing("photos").entries()).extracting(ListedEntry::name).containsExactly("cat.bin");
    }

    @Test
    void aFolderThatIsNotThereIsNotFoundAndABadOneIsRefused() throws Exception {
        assertError(http.get("/api/v1/files?dir=nowhere"), 404, "not found");
        assertError(http.get("/api/v1/files?dir=README.md"), 404, "not found");
        assertError(http.get("/api/v1/files?dir=gone.txt"), 404, "not found");
        for (String bad : List.of("../etc", "/docs", "docs/", "docs//plans", "a\\b", ".sync")) {
            assertError(http.get("/api/v1/files?dir=" + query(bad)), 400, "bad path");
        }
    }

    @Test
    void downloadsAFileWholeFromItsChunksAsAnAttachment() throws Exception {
        Http.Response photo = http.get("/api/v1/file?path=photos/cat.bin");
        assertThat(photo.status()).isEqualTo(200);
        assertThat(photo.body()).isEqualTo(PHOTO);
        assertThat(photo.headers().firstValue("Content-Length")).hasValue(Integer.toString(PHOTO.length));
        assertThat(photo.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(photo.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"cat.bin\"; filename*=UTF-8''cat.bin");
        assertThat(photo.headers().firstValue("ETag")).hasValue("\"" + Hashing.sha256Hex(PHOTO) + "\"");

        byte[] greeting = "Grüße aus Köln\n".getBytes(StandardCharsets.UTF_8);
        seed.file("docs/Grüße \"neu\".txt", greeting);
        Http.Response text = http.get("/api/v1/file?path=" + query("docs/Grüße \"neu\".txt"));
        assertThat(text.body()).isEqualTo(greeting);
        assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(text.headers().firstValue("Content-Disposition")).hasValue(
                "attachment; filename=\"Gr__e _neu_.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%22neu%22.txt");
    }

    @Test
    void downloadsAnEmptyFile() throws Exception {
        seed.file("empty.txt", new byte[0]);
        Http.Response empty = http.get("/api/v1/file?path=empty.txt");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
        assertThat(empty.headers().firstValue("Content-Length")).hasValue("0");
    }

    @Test
    void streamsALargeFileChunkByChunk() throws Exception {
        // 64 MiB from one stored 1 MiB chunk: cheap to store, and far more than a response buffer.
        byte[] chunk = new byte[1024 * 1024];
        new Random(1).nextBytes(chunk);
        String chunkSha = seed.upload(chunk);
        MessageDigest whole = Hashing.sha256();
        for (int i = 0; i < 64; i++) {
            whole.update(chunk);
        }
        long size = 64L * chunk.length;
        seed.file("big.bin", Hashing.hex(whole.digest()), size,
                Collections.nCopies(64, new ChunkRef(chunkSha, chunk.length)));

        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/file?path=big.bin"))
                .header("Authorization", "Bearer " + TOKEN).build();
        HttpResponse<InputStream> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Long.toString(size));
        MessageDigest received = Hashing.sha256();
        long count = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.update(buffer, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(Hashing.hex(received.digest())).isEqualTo(response.headers().firstValue("ETag").orElseThrow()
                .replace("\"", ""));
    }

    @Test
    void aVersionCanBeAskedForAndOnlyKeptOnesAreFound() throws Exception {
        long version = seed.file("notes.txt", REPORT);
        assertThat(http.get("/api/v1/file?path=notes.txt&version=" + version).body()).isEqualTo(REPORT);
        Http.Response old = http.get("/api/v1/file?path=notes.txt&version=1");
        assertError(old, 404, "not found");
        assertThat(old.json(ErrorBody.class).detail()).isEqualTo("version 1 of \"notes.txt\" is not kept");
        assertError(http.get("/api/v1/file?path=notes.txt&version=0"), 400, "bad request");
        assertError(http.get("/api/v1/file?path=notes.txt&version=x"), 400, "bad request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gone.txt", "docs", "nothing.txt"})
    void whatIsNotALiveFileIsNotFound(String path) throws Exception {
        Http.Response response = http.get("/api/v1/file?path=" + path);
        assertError(response, 404, "not found");
        assertThat(response.json(ErrorBody.class).detail()).contains("\"" + path + "\"");
    }

    @Test
    void aMissingOrBadPathIsRefused() throws Exception {
        assertError(http.get("/api/v1/file"), 400, "bad request");
        assertError(http.get("/api/v1/file?path="), 400, "bad request");
        for (String bad : List.of("../etc/passwd", "/README.md", "docs/../README.md", ".sync/state.json")) {
            assertError(http.get("/api/v1/file?path=" + query(bad)), 400, "bad path");
        }
    }

    @Test
    void reportsTheServersStatus() throws Exception {
        Http.Response response = http.get("/api/v1/status");
        assertThat(response.status()).isEqualTo(200);
        ServerStatus status = response.json(ServerStatus.class);
        assertThat(status.version()).isEqualTo(ServerVersion.get()).isNotEqualTo("unknown");
        assertThat(status.files()).isEqualTo(3);
        assertThat(status.folders()).as("folder entries; photos has none").isEqualTo(2);
        assertThat(status.bytes()).isEqualTo(REPORT.length + PHOTO.length + 8L);
        assertThat(status.deleted()).isEqualTo(1);
        assertThat(status.sequence()).isEqualTo(7);
        assertThat(status.indexId()).isNotBlank();
        assertThat(status.startedAt()).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(status.stats().acceptedCommits()).isEqualTo(7);
    }

    private FolderListing listing(String dir) throws IOException, InterruptedException {
        Http.Response response = http.get("/api/v1/files" + (dir.isEmpty() ? "" : "?dir=" + query(dir)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json(FolderListing.class);
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void assertError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json(ErrorBody.class).error()).as(response.toString()).isEqualTo(error);
    }
}
