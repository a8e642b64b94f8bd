package io.syncedfolder.client;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.SyncServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A real server on a free loopback port with its data in a test folder; can be restarted on the same data. */
final class TestServer implements AutoCloseable {
    static final String TOKEN = "test-token";

    private final Path data;
    private SyncServer server;

    TestServer(Path data) throws IOException {
        this.data = data;
        start();
    }

    void start() throws IOException {
        server = SyncServer.start(new ServerConfig("127.0.0.1", 0, data, TOKEN));
    }

    void restart() throws IOException {
        server.close();
        start();
    }

    String url() {
        return server.baseUrl();
    }

    /** Returns true if the server's blob store holds content with this SHA-256. */
    boolean holdsBlob(String sha256) {
        try (Stream<Path> files = Files.walk(data)) {
            return files.anyMatch(f -> f.getFileName().toString().equals(sha256));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
