package io.syncedfolder.server.web;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts test files on a real server through its HTTP API, as a client would: uploads each chunk, then commits on the
 * version it last saw of the path.
 */
public final class ApiSeed {
    /** The modification time seeded files carry unless told otherwise: 2026-11-22 10:41 UTC. */
    public static final long MTIME = 1_795_344_060_000L;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;
    private final String device;
    private final Map<String, Long> versions = new HashMap<>();

    public ApiSeed(String baseUrl, String token, String device) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.device = device;
    }

    /** Commits {@code content} as file {@code path}, one chunk; returns the new version. */
    public long file(String path, byte[] content) throws IOException, InterruptedException {
        return file(path, content, content.length);
    }

    /** Commits {@code content} as file {@code path}, cut into chunks of {@code chunkSize}; returns the new version. */
    public long file(String path, byte[] content, int chunkSize) throws IOException, InterruptedException {
        List<ChunkRef> chunks = new ArrayList<>();
        for (int from = 0; from < content.length; from += chunkSize) {
            byte[] chunk = Arrays.copyOfRange(content, from, Math.min(content.length, from + chunkSize));
            chunks.add(new ChunkRef(upload(chunk), chunk.length));
        }
        return commit(Change.file(path, base(path), Hashing.sha256Hex(content), content.length, MTIME, false, chunks));
    }

    /** Commits file {@code path} made of {@code chunks} already uploaded, of {@code size} bytes with this hash. */
    public long file(String path, String sha256, long size, List<ChunkRef> chunks)
            throws IOException, InterruptedException {
        return commit(Change.file(path, base(path), sha256, size, MTIME, false, chunks));
    }

    /** Commits folder {@code path}; returns its version. */
    public long folder(String path) throws IOException, InterruptedException {
        return commit(Change.directory(path, base(path), MTIME));
    }

    /** Deletes file {@code path}; returns the tombstone's version. */
    public long delete(String path) throws IOException, InterruptedException {
        return commit(Change.deletion(path, base(path), EntryKind.FILE, MTIME));
    }

    /** Uploads one chunk; returns its hash. */
    public String upload(byte[] chunk) throws IOException, InterruptedException {
        String sha = Hashing.sha256Hex(chunk);
        HttpResponse<String> response = send(request("/api/v1/blobs/" + sha)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("upload refused: " + response.statusCode() + " " + response.body());
        }
        return sha;
    }

    private long base(String path) {
        return versions.getOrDefault(path, 0L);
    }

    private long commit(Change change) throws IOException, InterruptedException {
        String body = Json.mapper().writeValueAsString(new CommitRequest(device, List.of(change)));
        HttpResponse<String> response = send(request("/api/v1/commit").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw new IOException("commit refused: " + response.statusCode() + " " + response.body());
        }
        FileEntry entry = Json.mapper().readValue(response.body(), CommitResponse.class).entries().get(0);
        versions.put(entry.path(), entry.version());
        return entry.version();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
