package io.syncedfolder.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** One real server and any number of named clients, each on its own folder under a test directory. */
final class TestWorld implements AutoCloseable {
    final Path temp;
    final TestServer server;
    private final List<TestClient> clients = new ArrayList<>();

    TestWorld(Path temp) throws IOException {
        this.temp = temp;
        this.server = new TestServer(temp.resolve("server"));
    }

    /** Starts a client named {@code name} on the folder of that name. */
    TestClient client(String name) throws IOException {
        return client(name, temp.resolve(name));
    }

    TestClient client(String name, Path folder) throws IOException {
        return client(name, folder, UnaryOperator.identity());
    }

    /** Starts a client whose default settings {@code settings} changes. */
    TestClient client(String name, Path folder, UnaryOperator<ClientConfig> settings) throws IOException {
        TestClient client = new TestClient(name, folder, server, settings);
        clients.add(client);
        return client;
    }

    /** Forgets a client that was closed by the test itself. */
    void closed(TestClient client) {
        clients.remove(client);
    }

    List<TestClient> clients() {
        return List.copyOf(clients);
    }

    @Override
    public void close() throws IOException {
        for (TestClient client : clients) {
            client.close();
        }
        server.close();
    }
}
