package io.syncedfolder.server;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test against one real server on a free loopback port, started on a fresh data folder before each test. */
abstract class ServerTest {
    static final String TOKEN = "test-token";

    @TempDir
    Path data;

    SyncServer server;
    Http http;

    @BeforeEach
    void startServer() throws IOException {
        server = SyncServer.start(ServerConfig.localhost(data, TOKEN));
        http = new Http(server.baseUrl(), TOKEN);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
