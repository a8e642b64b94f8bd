package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.PackWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HTTP server that lies: it sends entries with paths that escape the folder, content that does not
 * match its hash, and a path through a symbolic link. The client must refuse all of it and write nothing
 * outside its folder.
 */
class HostileServerTest {
    @TempDir
    Path temp;

    HttpServer server;
    final List<FileEntry> entries = new ArrayList<>();
    final Map<String, byte[]> blobs = new HashMap<>();
    final Map<String, Integer> sizes = new HashMap<>();
    long commitVersion = 1_000;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/changes", exchange ->
                reply(exchange, 200, Json.mapper().writeValueAsBytes(new ChangesResponse(100, false, entries))));
        server.createContext("/api/v1/blobs/missing", exchange ->
                reply(exchange, 200, Json.mapper().writeValueAsBytes(new MissingResponse(List.of()))));
        server.createContext("/api/v1/blobs/fetch", exchange -> {
            FetchRequest request = Json.mapper().readValue(exchange.getRequestBody().readAllBytes(), FetchRequest.class);
            ByteArrayOutputStream pack = new ByteArrayOutputStream();
            for (String hash : request.hashes()) {
                // the size promised in the index, filled with whatever this server holds under that hash
                byte[] promised = Arrays.copyOf(blobs.get(hash), sizes.get(hash));
                new PackWriter(pack).write(hash, promised);
            }
            reply(exchange, 200, pack.toByteArray());
        });
        // Accepts every commit (and forgets it), so a pass goes on to its downloads.
        server.createContext("/api/v1/commit", exchange -> {
            CommitRequest request = Json.mapper().readValue(exchange.getRequestBody().readAllBytes(), CommitRequest.class);
            List<FileEntry> accepted = new ArrayList<>();
            for (Change change : request.changes()) {
                accepted.add(new FileEntry(change.path(), change.kind(), change.deleted(), ++commitVersion,
                        change.sha256(), change.size(), change.mtime(), change.executable(), change.chunks(),
                        request.device()));
            }
            reply(exchange, 200, Json.mapper().writeValueAsBytes(new CommitResponse(commitVersion, accepted)));
        });
        server.createContext("/api/v1/blobs/", exchange -> {
            String hash = exchange.getRequestURI().getPath().substring("/api/v1/blobs/".length());
            byte[] blob = blobs.get(hash);
            reply(exchange, blob == null ? 404 : 200, blob == null ? "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8) : blob);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void refusesEveryHostileEntryAndWritesNothingOutsideTheFolder() throws IOException {
        Path folder = temp.resolve("folder");
        Path outside = temp.resolve("outside");
        Files.createDirectories(folder);
        Files.createDirectories(outside);
        Files.createSymbolicLink(folder.resolve("link"), outside);
        byte[] evil = "evil".getBytes(StandardCharsets.UTF_8);
        for (String path : List.of("../escape.txt", "/tmp-abs.txt", "a\\..\\..\\b.txt", ".sync/state.json",
                "sub/../../escape2.txt", "link/inside.txt", "nul\u0000.txt")) {
            entries.add(entry(path, evil, 1));
        }
        entries.add(entry("ok.txt", "fine".getBytes(StandardCharsets.UTF_8), 2));
        FileEntry liar = entry("liar.txt", "promised".getBytes(StandardCharsets.UTF_8), 3);
        entries.add(liar);
        blobs.put(liar.sha256(), "something else".getBytes(StandardCharsets.UTF_8));

        PassResult result;
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try (ServerClient http = new ServerClient(url, "t");
             SyncLoop loop = SyncLoop.open(new ClientConfig(url, "t", folder, "me", Duration.ofSeconds(5)), http,
                     Clock.systemDefaultZone())) {
            result = loop.runPass();
        }

        assertThat(result.inSync()).isFalse();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p).contains("liar.txt").contains("SHA-256"));
        assertThat(folder.resolve("link")).as("the link is left as it is").isSymbolicLink();
        assertThat(folder.resolve("ok.txt")).hasContent("fine");
        assertThat(folder.resolve("liar.txt")).doesNotExist();
        assertThat(outside).isEmptyDirectory();
        try (Stream<Path> all = Files.walk(temp)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> temp.relativize(p).toString()))
                    .allMatch(p -> p.startsWith("folder/"))
                    .doesNotContain("escape.txt", "escape2.txt");
        }
        assertThat(new String(Files.readAllBytes(folder.resolve(".sync/state.bin")), StandardCharsets.ISO_8859_1))
                .doesNotContain("evil").contains("ok.txt");
        try (Stream<Path> leftovers = Files.list(folder.resolve(".sync/tmp"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    /**
     * A folder that was synced and then replaced, here, by a symbolic link to somewhere outside: whatever the server
     * then sends for paths under it (a changed file, a deletion, a new file, a new folder, the folder's deletion),
     * nothing outside is written, created or deleted.
     */
    @Test
    void neverWritesOrDeletesThroughAFolderThatBecameASymlink() throws IOException {
        Path folder = temp.resolve("folder");
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.createDirectories(folder);
        entries.add(directory("docs", 1, false));
        entries.add(entry("docs/a.txt", "a1".getBytes(StandardCharsets.UTF_8), 2));
        entries.add(entry("docs/b.txt", "b1".getBytes(StandardCharsets.UTF_8), 3));
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        ClientConfig config = new ClientConfig(url, "t", folder, "me", Duration.ofSeconds(5));
        try (ServerClient http = new ServerClient(url, "t");
             SyncLoop loop = SyncLoop.open(config, http, Clock.systemDefaultZone())) {
            assertThat(loop.runPass().inSync()).isTrue();
        }
        assertThat(folder.resolve("docs/a.txt")).hasContent("a1");
        TestClient.deleteTree(folder.resolve("docs"));
        Files.writeString(outside.resolve("a.txt"), "mine");
        Files.writeString(outside.resolve("b.txt"), "mine too");
        Files.createSymbolicLink(folder.resolve("docs"), outside);
        Map<String, String> outsideBefore = TestClient.treeOf(outside);

        entries.clear();
        entries.add(entry("docs/a.txt", "a2 from the server".getBytes(StandardCharsets.UTF_8), 4));
        entries.add(tombstone("docs/b.txt", 5));
        entries.add(entry("docs/c.txt", "new".getBytes(StandardCharsets.UTF_8), 6));
        entries.add(directory("docs/sub", 7, false));
        entries.add(entry("docs/sub/d.txt", "deep".getBytes(StandardCharsets.UTF_8), 8));
        try (ServerClient http = new ServerClient(url, "t");
             SyncLoop loop = SyncLoop.open(config, http, Clock.systemDefaultZone())) {
            loop.runPass();
            entries.add(directory("docs", 9, true)); // and then the folder itself is deleted on the server
            loop.runPass();
        }

        assertThat(folder.resolve("docs")).isSymbolicLink();
        assertThat(TestClient.treeOf(outside)).isEqualTo(outsideBefore);
        assertThat(outside.resolve("a.txt")).hasContent("mine");
        assertThat(outside.resolve("b.txt")).hasContent("mine too");
    }

    private static FileEntry directory(String path, long version, boolean deleted) {
        return new FileEntry(path, EntryKind.DIRECTORY, deleted, version, null, 0, 1_600_000_000_000L, false,
                List.of(), "mallory");
    }

    private static FileEntry tombstone(String path, long version) {
        return new FileEntry(path, EntryKind.FILE, true, version, null, 0, 1_600_000_000_000L, false, List.of(),
                "mallory");
    }

    private FileEntry entry(String path, byte[] content, long version) {
        String sha = Hashing.sha256Hex(content);
        blobs.put(sha, content);
        sizes.put(sha, content.length);
        return new FileEntry(path, EntryKind.FILE, false, version, sha, content.length, 1_600_000_000_000L, false,
                List.of(new ChunkRef(sha, content.length)), "mallory");
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
