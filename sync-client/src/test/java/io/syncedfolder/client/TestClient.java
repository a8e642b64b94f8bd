package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** One named client on its own folder, driven pass by pass against a {@link TestServer}. */
final class TestClient implements AutoCloseable {
    final String name;
    final Path folder;
    private final TestServer server;
    private final UnaryOperator<ClientConfig> settings;
    private ServerClient http;
    private SyncLoop loop;

    TestClient(String name, Path folder, TestServer server) throws IOException {
        this(name, folder, server, UnaryOperator.identity());
    }

    /** A client whose default settings {@code settings} changes (e.g. its safety limits). */
    TestClient(String name, Path folder, TestServer server, UnaryOperator<ClientConfig> settings) throws IOException {
        this.name = name;
        this.folder = folder;
        this.server = server;
        this.settings = settings;
        open();
    }

    private void open() throws IOException {
        http = new ServerClient(server.url(), TestServer.TOKEN);
        ClientConfig config = new ClientConfig(server.url(), TestServer.TOKEN, folder, name, Duration.ofSeconds(5));
        try {
            loop = SyncLoop.open(settings.apply(config), http, Clock.systemDefaultZone());
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** Runs one pass and asserts it ended in sync. */
    PassResult sync() throws IOException {
        PassResult result = loop.runPass();
        assertThat(result.problems()).as("problems of %s's pass", name).isEmpty();
        assertThat(result.inSync()).as("%s in sync", name).isTrue();
        return result;
    }

    /** Stops this client process-like (closing its lock and connections) and starts it again from its state on disk. */
    void restart() throws IOException {
        close();
        open();
    }

    SyncLoop loop() {
        return loop;
    }

    /** A step a test takes, which may touch the disk or run another client. */
    interface Step {
        void run() throws IOException;
    }

    /** Runs {@code step} once, between this client's next plan and its execution: to act in that window. */
    void onceBeforeExecuting(Step step) {
        loop.beforeExecute(() -> {
            loop.beforeExecute(() -> { });
            try {
                step.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    Path path(String relative) {
        return PathRules.resolve(folder, relative);
    }

    TestClient write(String relative, String content) throws IOException {
        return write(relative, content.getBytes(StandardCharsets.UTF_8));
    }

    TestClient write(String relative, byte[] content) throws IOException {
        Path file = path(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return this;
    }

    /** Sets a file's modification time, to decide which side of a conflict is newer. */
    TestClient touch(String relative, long epochMillis) throws IOException {
        Files.setLastModifiedTime(path(relative), FileTime.fromMillis(epochMillis));
        return this;
    }

    String read(String relative) throws IOException {
        return Files.readString(path(relative), StandardCharsets.UTF_8);
    }

    boolean exists(String relative) {
        return Files.exists(path(relative), LinkOption.NOFOLLOW_LINKS);
    }

    void delete(String relative) throws IOException {
        deleteTree(path(relative));
    }

    /** Deletes a file, or a folder with everything in it. */
    static void deleteTree(Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> tree = Files.walk(target)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(target);
        }
    }

    /**
     * Returns the synced tree: each file's path with the SHA-256 of its content, each folder's path with
     * "dir"; the state folder is left out.
     */
    Map<String, String> tree() {
        return treeOf(folder);
    }

    /** Returns the synced tree of any folder, as {@link #tree()} does. */
    static Map<String, String> treeOf(Path folder) {
        Map<String, String> tree = new TreeMap<>();
        if (!Files.exists(folder)) {
            return tree;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.toList()) {
                if (p.equals(folder)) {
                    continue;
                }
                String rel = folder.relativize(p).toString().replace('\\', '/');
                if (rel.equals(PathRules.STATE_DIR) || rel.startsWith(PathRules.STATE_DIR + "/")) {
                    continue;
                }
                tree.put(rel, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : Hashing.sha256Hex(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    @Override
    public void close() throws IOException {
        loop.close();
        http.close();
    }
}
