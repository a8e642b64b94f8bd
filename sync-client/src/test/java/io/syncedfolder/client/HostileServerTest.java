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
import io.syncedfolder.common.protocol.ChangesResponse;
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
