package io.syncedfolder.client;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.ServerStats;
import io.syncedfolder.server.SyncServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        return Files.isRegularFile(blobFile(sha256));
    }

    /** Returns the bytes the blob store holds under this SHA-256, if any. */
    Optional<byte[]> blob(String sha256) {
        try {
            return Optional.of(Files.readAllBytes(blobFile(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the blob store keeps content with this SHA-256: {@code <data>/blobs/<first 2 hex>/<sha256>}. */
    private Path blobFile(String sha256) {
        return data.resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    @Override
    public void close() {
        server.close();
    }
}
