package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.remote.ServerClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous clients with the periodic rescan effectively off (one hour), so every change must travel by a
 * file-system event or the server's change feed. Timeouts are generous: these tests check that it happens,
 * the benchmark measures how fast.
 */
class ContinuousSyncTest {
    private static final Duration NO_POLLING = Duration.ofHours(1);
    private static final long TIMEOUT_MILLIS = 20_000;

    @TempDir
    Path temp;

    TestServer server;
    final List<Running> running = new ArrayList<>();

    /** A continuous client on its own thread. */
    final class Running implements AutoCloseable {
        final Path folder;
        final ServerClient http;
        final SyncLoop loop;
        final ContinuousSync sync;
        final Thread thread;

        Running(String name) throws IOException {
            folder = temp.resolve(name);
            http = new ServerClient(server.url(), TestServer.TOKEN);
            loop = SyncLoop.open(new ClientConfig(server.url(), TestServer.TOKEN, folder, name, NO_POLLING), http,
                    Clock.systemDefaultZone());
            sync = new ContinuousSync(loop, http, loop.root(), NO_POLLING);
            thread = new Thread(() -> {
                try {
                    sync.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "continuous-" + name);
            thread.start();
            running.add(this);
        }

        @Override
        public void close() throws IOException {
            sync.stop();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.close();
            http.close();
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = new TestServer(temp.resolve("server"));
    }

    @AfterEach
    void stopAll() throws IOException {
        for (Running r : running) {
            r.close();
        }
        server.close();
    }

    @Test
    void aNewFileTravelsByEventsAndTheChangeFeedAlone() throws Exception {
        Running alice = new Running("alice");
        Running bob = new Running("bob");
        awaitTrue("both clients started", () -> Files.isDirectory(alice.folder.resolve(".sync"))
                && Files.isDirectory(bob.folder.resolve(".sync")));
        Thread.sleep(500); // let the first full passes finish

        Files.createDirectories(alice.folder.resolve("notes"));
        Files.writeString(alice.folder.resolve("notes/hello.txt"), "hello, bob");

        awaitContent(bob.folder.resolve("notes/hello.txt"), "hello, bob");

        Files.writeString(bob.folder.resolve("notes/hello.txt"), "hello back");
        awaitContent(alice.folder.resolve("notes/hello.txt"), "hello back");

        Files.delete(alice.folder.resolve("notes/hello.txt"));
        awaitTrue("the deletion reaches bob", () -> !Files.exists(bob.folder.resolve("notes/hello.txt")));
    }

    @Test
    void aFileWrittenInSeveralPiecesArrivesComplete() throws Exception {
        Running alice = new Running("alice");
        Running bob = new Running("bob");
        Thread.sleep(500);

        StringBuilder expected = new StringBuilder();
        try (OutputStream out = Files.newOutputStream(alice.folder.resolve("slow.log"))) {
            for (int piece = 0; piece < 8; piece++) {
                String line = "piece " + piece + " " + "x".repeat(1000) + "\n";
                expected.append(line);
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(60);
            }
        }

        awaitContent(bob.folder.resolve("slow.log"), expected.toString());
        assertThat(server.stats().acceptedCommits()).as("commits for one file written in 8 pieces").isLessThanOrEqualTo(3);
    }

    @Test
    void editsMadeWhileTheServerIsDownArriveAfterItComesBack() throws Exception {
        Running alice = new Running("alice");
        Running bob = new Running("bob");
        Files.writeString(alice.folder.resolve("before.txt"), "before");
        awaitContent(bob.folder.resolve("before.txt"), "before");

        server.stop();
        Files.writeString(alice.folder.resolve("during.txt"), "written while the server was down");
        Files.writeString(bob.folder.resolve("before.txt"), "bob edited it offline");
        Thread.sleep(1_500);
        server.startAgain();

        awaitContent(bob.folder.resolve("during.txt"), "written while the server was down");
        awaitContent(alice.folder.resolve("before.txt"), "bob edited it offline");
    }

    @Test
    void aDownloadIsNotUploadedAgain() throws Exception {
        Running alice = new Running("alice");
        Running bob = new Running("bob");
        Thread.sleep(500);
        Files.writeString(alice.folder.resolve("once.txt"), "upload me once");
        awaitContent(bob.folder.resolve("once.txt"), "upload me once");
        long commits = server.stats().acceptedCommits();
        long received = server.stats().chunkBytesReceived();

        Thread.sleep(2_000); // time for any echo to happen

        assertThat(server.stats().acceptedCommits()).as("no client committed anything again").isEqualTo(commits);
        assertThat(server.stats().chunkBytesReceived()).as("content bytes received").isEqualTo(received)
                .isEqualTo("upload me once".length());
    }

    private static void awaitContent(Path file, String content) throws Exception {
        awaitTrue(file.getFileName() + " has the expected content",
                () -> Files.exists(file) && Files.readString(file).equals(content));
    }

    private static void awaitTrue(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IOException e) {
                // a file in the middle of being replaced: look again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}
