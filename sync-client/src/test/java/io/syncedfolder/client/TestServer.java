package io.syncedfolder.client;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.ServerStats;
import io.syncedfolder.server.SyncServer;
import io.syncedfolder.server.blob.BlobContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** A real server on a free loopback port with its data in a test folder; can be restarted on the same data. */
final class TestServer implements AutoCloseable {
    static final String TOKEN = "test-token";

    private final Path data;
    private SyncServer server;
    private int port;

    TestServer(Path data) throws IOException {
        this.data = data;
        start();
    }

    void start() throws IOException {
        server = SyncServer.start(new ServerConfig("127.0.0.1", 0, data, TOKEN));
        port = server.port();
    }

    void restart() throws IOException {
        server.close();
        start();
    }

    /** Stops serving; {@link #startAgain()} serves the same data on the same port. */
    void stop() {
        server.close();
    }

    void startAgain() throws IOException {
        server = SyncServer.start(new ServerConfig("127.0.0.1", port, data, TOKEN));
    }

    ServerStats stats() {
        return server.stats();
    }

    String url() {
        return server.baseUrl();
    }

    /** Returns true if the server's blob store holds content with this SHA-256. */
    boolean holdsBlob(String sha256) {
        return server.blobs().has(sha256);
    }

    /** Returns the bytes the blob store holds under this SHA-256, if any. */
    Optional<byte[]> blob(String sha256) {
        try {
            Optional<BlobContent> blob = server.blobs().open(sha256);
            if (blob.isEmpty()) {
                return Optional.empty();
            }
            try (BlobContent content = blob.get()) {
                return Optional.of(content.content().readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
