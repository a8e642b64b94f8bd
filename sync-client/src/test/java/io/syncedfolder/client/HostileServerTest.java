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
import io.syncedfolder.common.protocol.DeltaFormat;
import io.syncedfolder.common.protocol.DeltaRequest;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.PackWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    /** What this server answers to a delta request, by the base asked for. */
    final Map<String, byte[]> deltas = new HashMap<>();
    final List<String> deltasAsked = Collections.synchronizedList(new ArrayList<>());
    int deltaStatus = 200;
    final List<String> fetched = Collections.synchronizedList(new ArrayList<>());

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Opens a client of this server on {@code folder}, as device "me" with token "t". */
    private SyncLoop open(Path folder, ServerClient http) throws IOException {
        return SyncLoop.open(new ClientConfig(url(), "t", folder, "me", Duration.ofSeconds(5)), http,
                Clock.systemDefaultZone());
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/changes", exchange ->
                reply(exchange, 200, Json.mapper().writeValueAsBytes(new ChangesResponse(100, false, entries))));
        server.createContext("/api/v1/blobs/missing", exchange ->
                reply(exchange, 200, Json.mapper().writeValueAsBytes(new MissingResponse(List.of()))));
        server.createContext("/api/v1/blobs/delta", exchange -> {
            DeltaRequest request = Json.mapper().readValue(exchange.getRequestBody().readAllBytes(), DeltaRequest.class);
            deltasAsked.add(request.chunk());
            reply(exchange, deltaStatus, deltas.getOrDefault(request.base(), "{\"error\":\"refused\"}".getBytes(StandardCharsets.UTF_8)));
        });
        server.createContext("/api/v1/blobs/fetch", exchange -> {
            FetchRequest request = Json.mapper().readValue(exchange.getRequestBody().readAllBytes(), FetchRequest.class);
            fetched.addAll(request.hashes());
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
        try (ServerClient http = new ServerClient(url(), "t"); SyncLoop loop = open(folder, http)) {
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
        try (ServerClient http = new ServerClient(url(), "t"); SyncLoop loop = open(folder, http)) {
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
        try (ServerClient http = new ServerClient(url(), "t"); SyncLoop loop = open(folder, http)) {
            loop.runPass();
            entries.add(directory("docs", 9, true)); // and then the folder itself is deleted on the server
            loop.runPass();
        }

        assertThat(folder.resolve("docs")).isSymbolicLink();
        assertThat(TestClient.treeOf(outside)).isEqualTo(outsideBefore);
        assertThat(outside.resolve("a.txt")).hasContent("mine");
        assertThat(outside.resolve("b.txt")).hasContent("mine too");
    }

    /**
     * Deltas that do not rebuild their chunk, one well formed but wrong and one garbage, are never written: the
     * client fetches those chunks whole instead, and the files end up as the index says.
     */
    @Test
    void aDeltaThatDoesNotRebuildItsChunkIsReplacedByTheWholeChunk() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("folder"));
        Random random = new Random(20261202);
        List<byte[]> lying = chunks(random, 5);
        List<byte[]> garbage = chunks(random, 5);
        entries.add(chunked("lying.bin", lying, 1));
        entries.add(chunked("garbage.bin", garbage, 2));
        try (ServerClient http = new ServerClient(url(), "t"); SyncLoop loop = open(folder, http)) {
            assertThat(loop.runPass().inSync()).isTrue();

            List<byte[]> lyingEdited = withEditedChunk(lying, 2);
            List<byte[]> garbageEdited = withEditedChunk(garbage, 2);
            byte[] lyingBase = lying.get(2);
            // Well formed, the right length, the wrong bytes: the base and ten zeros instead of ten letters.
            deltas.put(Hashing.sha256Hex(lyingBase), ByteBuffer.allocate(9 + 5 + 10)
                    .put(DeltaFormat.COPY).putInt(0).putInt(lyingBase.length)
                    .put(DeltaFormat.LITERAL).putInt(10).array());
            deltas.put(Hashing.sha256Hex(garbage.get(2)), "not a delta at all".getBytes(StandardCharsets.UTF_8));
            entries.clear();
            entries.add(chunked("lying.bin", lyingEdited, 3));
            entries.add(chunked("garbage.bin", garbageEdited, 4));
            assertThat(loop.runPass().inSync()).isTrue();

            assertThat(folder.resolve("lying.bin")).hasBinaryContent(concat(lyingEdited));
            assertThat(folder.resolve("garbage.bin")).hasBinaryContent(concat(garbageEdited));
            String lyingChunk = Hashing.sha256Hex(lyingEdited.get(2));
            String garbageChunk = Hashing.sha256Hex(garbageEdited.get(2));
            assertThat(deltasAsked).containsExactlyInAnyOrder(lyingChunk, garbageChunk);
            assertThat(fetched).contains(lyingChunk, garbageChunk);
        }
    }

    /** A refused token is not a reason to fetch the chunk whole: the pass stops, as it would for any request. */
    @Test
    void aDeltaRefusedForTheTokenEndsThePassInsteadOfFallingBack() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("folder"));
        List<byte[]> chunks = chunks(new Random(20261203), 5);
        entries.add(chunked("video.bin", chunks, 1));
        try (ServerClient http = new ServerClient(url(), "t"); SyncLoop loop = open(folder, http)) {
            assertThat(loop.runPass().inSync()).isTrue();
            List<byte[]> edited = withEditedChunk(chunks, 2);
            entries.clear();
            entries.add(chunked("video.bin", edited, 2));
            deltaStatus = 401;
            fetched.clear();

            try {
                assertThat(loop.runPass().inSync()).isFalse();
            } catch (IOException refused) {
                assertThat(refused).hasMessageContaining("token");
            }

            assertThat(deltasAsked).containsExactly(Hashing.sha256Hex(edited.get(2)));
            assertThat(fetched).as("nothing fetched whole after the refusal").isEmpty();
            assertThat(folder.resolve("video.bin")).hasBinaryContent(concat(chunks));
        }
    }

    private static List<byte[]> chunks(Random random, int count) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] chunk = new byte[1024 * 1024];
            random.nextBytes(chunk);
            chunks.add(chunk);
        }
        return chunks;
    }

    /** Returns the chunks with ten bytes inserted in the middle of chunk {@code index}. */
    private static List<byte[]> withEditedChunk(List<byte[]> chunks, int index) {
        List<byte[]> edited = new ArrayList<>(chunks);
        byte[] chunk = chunks.get(index);
        byte[] longer = Arrays.copyOf(chunk, chunk.length + 10);
        System.arraycopy(chunk, chunk.length / 2, longer, chunk.length / 2 + 10, chunk.length - chunk.length / 2);
        System.arraycopy("0123456789".getBytes(StandardCharsets.UTF_8), 0, longer, chunk.length / 2, 10);
        edited.set(index, longer);
        return edited;
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** A file made of {@code chunks}, each stored under its hash. */
    private FileEntry chunked(String path, List<byte[]> chunks, long version) {
        List<ChunkRef> refs = new ArrayList<>();
        for (byte[] chunk : chunks) {
            String sha = Hashing.sha256Hex(chunk);
            blobs.put(sha, chunk);
            sizes.put(sha, chunk.length);
            refs.add(new ChunkRef(sha, chunk.length));
        }
        byte[] content = concat(chunks);
        return new FileEntry(path, EntryKind.FILE, false, version, Hashing.sha256Hex(content), content.length,
                1_600_000_000_000L, false, refs, "mallory");
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
