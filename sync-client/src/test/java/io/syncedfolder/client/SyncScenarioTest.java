package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.remote.ServerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import okhttp3.Interceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two or three named clients sharing one real server, each on its own temporary folder. */
class SyncScenarioTest {
    @TempDir
    Path temp;

    TestWorld world;
    TestServer server;
    TestClient alice;
    TestClient bob;

    @BeforeEach
    void start() throws IOException {
        world = new TestWorld(temp);
        server = world.server;
        alice = world.client("alice");
        bob = world.client("bob");
    }

    @AfterEach
    void stop() throws IOException {
        world.close();
    }

    TestClient client(String name) throws IOException {
        return world.client(name);
    }

    @Test
    void addedFilesAndFoldersOfEveryKindCrossOver() throws IOException {
        byte[] binary = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(binary);
        alice.write("docs/notes/deep/a.txt", "hello");
        alice.write("empty-file", "");
        alice.write("Grüße/café ☕.txt", "unicode");
        alice.write("big.bin", binary);
        Files.createDirectories(alice.path("empty/folder"));

        alice.sync();
        bob.sync();

        assertThat(bob.tree()).isEqualTo(alice.tree());
        assertThat(bob.read("docs/notes/deep/a.txt")).isEqualTo("hello");
        assertThat(Files.readAllBytes(bob.path("big.bin"))).isEqualTo(binary);
        assertThat(Files.size(bob.path("empty-file"))).isZero();
        assertThat(bob.path("empty/folder")).isDirectory();
    }

    @Test
    void modificationCrossesOver() throws IOException {
        alice.write("a.txt", "one");
        alice.sync();
        bob.sync();

        bob.write("a.txt", "two, longer");
        bob.sync();
        alice.sync();

        assertThat(alice.read("a.txt")).isEqualTo("two, longer");
    }

    @Test
    void deletionCrossesOverForFilesAndFolders() throws IOException {
        alice.write("d/sub/a.txt", "one").write("b.txt", "two");
        alice.sync();
        bob.sync();

        bob.delete("d");
        bob.delete("b.txt");
        bob.sync();
        alice.sync();

        assertThat(alice.tree()).isEmpty();
        assertThat(bob.tree()).isEmpty();
    }

    @Test
    void offlineClientWithAnOldCopyDeletesItInsteadOfResurrectingIt() throws IOException {
        alice.write("old.txt", "keep me?");
        alice.sync();
        bob.sync();
        bob.close(); // bob goes offline with his copy
        world.closed(bob);

        alice.delete("old.txt");
        alice.sync();

        TestClient bobAgain = client("bob");
        bobAgain.sync();
        alice.sync();

        assertThat(bobAgain.exists("old.txt")).isFalse();
        assertThat(alice.exists("old.txt")).isFalse();
    }

    @Test
    void concurrentEditsMakeAConflictCopyOnBothSides() throws IOException {
        alice.write("report.txt", "base");
        alice.sync();
        bob.sync();

        alice.write("report.txt", "alice's newer edit").touch("report.txt", 2_000_000_000_000L);
        bob.write("report.txt", "bob's older edit").touch("report.txt", 1_000_000_000_000L);
        alice.sync();
        bob.sync();   // bob finds the conflict: alice's edit is newer, so his own is moved aside
        alice.sync();

        assertThat(alice.tree()).isEqualTo(bob.tree());
        assertThat(bob.read("report.txt")).isEqualTo("alice's newer edit");
        List<String> copies = alice.tree().keySet().stream().filter(p -> p.startsWith("report.sync-conflict-")).toList();
        assertThat(copies).singleElement().satisfies(copy -> {
            assertThat(copy).matches("report\\.sync-conflict-\\d{8}-\\d{6}-bob\\.txt");
            assertThat(alice.read(copy)).isEqualTo("bob's older edit");
        });
    }

    @Test
    void newerLocalEditKeepsTheNameAndTheRemoteOneBecomesTheCopy() throws IOException {
        alice.write("report.txt", "base");
        alice.sync();
        bob.sync();

        alice.write("report.txt", "alice's older edit").touch("report.txt", 1_000_000_000_000L);
        alice.sync();
        bob.write("report.txt", "bob's newer edit").touch("report.txt", 2_000_000_000_000L);
        bob.sync();
        alice.sync();

        assertThat(alice.tree()).isEqualTo(bob.tree());
        assertThat(alice.read("report.txt")).isEqualTo("bob's newer edit");
        String copy = alice.tree().keySet().stream().filter(p -> p.contains(".sync-conflict-")).findFirst().orElseThrow();
        assertThat(copy).endsWith("-alice.txt"); // named for the device whose version was moved aside
        assertThat(alice.read(copy)).isEqualTo("alice's older edit");
    }

    @Test
    void deleteAgainstModifyLetsTheEditWinEitherWay() throws IOException {
        alice.write("x.txt", "v1").write("y.txt", "v1");
        alice.sync();
        bob.sync();

        alice.delete("x.txt");          // alice deletes x first, bob edits it
        alice.write("y.txt", "alice edited y");
        alice.sync();
        bob.write("x.txt", "bob edited x");
        bob.delete("y.txt");            // bob deletes y, which alice edited
        bob.sync();
        alice.sync();

        assertThat(alice.tree()).isEqualTo(bob.tree());
        assertThat(alice.read("x.txt")).isEqualTo("bob edited x");
        assertThat(bob.read("y.txt")).isEqualTo("alice edited y");
    }

    @Test
    void bothSidesCreatingTheSamePathDifferentlyKeepBoth() throws IOException {
        alice.write("new.txt", "from alice");
        bob.write("new.txt", "from bob");
        alice.sync();
        bob.sync();
        alice.sync();

        assertThat(alice.tree()).isEqualTo(bob.tree()).hasSize(2);
        assertThat(alice.tree().values()).doesNotHaveDuplicates();
    }

    @Test
    void identicalEditsOnBothSidesAreNotAConflict() throws IOException {
        alice.write("same.txt", "v1");
        alice.sync();
        bob.sync();

        alice.write("same.txt", "identical");
        bob.write("same.txt", "identical");
        alice.sync();
        bob.sync();
        alice.sync();

        assertThat(alice.tree()).isEqualTo(bob.tree()).containsOnlyKeys("same.txt");
    }

    @Test
    void serverRestartKeepsEverything() throws IOException {
        alice.write("a/b.txt", "persisted").write("gone.txt", "x");
        alice.sync();
        alice.delete("gone.txt");
        alice.sync();

        server.restart();
        for (TestClient c : world.clients()) {
            c.restart();
        }
        TestClient carol = client("carol");
        carol.sync();
        bob.sync();

        assertThat(carol.tree()).isEqualTo(alice.tree()).containsOnlyKeys("a", "a/b.txt");
        assertThat(bob.tree()).isEqualTo(alice.tree());
    }

    @Test
    void executableBitAndModificationTimeArePreserved() throws IOException {
        alice.write("run.sh", "#!/bin/sh\necho hi\n").touch("run.sh", 1_600_000_000_000L);
        Path script = alice.path("run.sh");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(script);
        permissions.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(script, permissions);
        alice.touch("run.sh", 1_600_000_000_000L);
        alice.sync();
        bob.sync();

        Path copy = bob.path("run.sh");
        assertThat(Files.getPosixFilePermissions(copy)).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getLastModifiedTime(copy).toMillis()).isEqualTo(1_600_000_000_000L);

        permissions.remove(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(script, permissions);
        alice.sync();
        bob.sync();
        assertThat(Files.getPosixFilePermissions(copy)).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void ownCommitRightAfterTheCursorMovesItSoTheChangesAreNotReadBack() throws IOException {
        Path folder = temp.resolve("carol");
        Files.createDirectories(folder.resolve("docs"));
        Files.writeString(folder.resolve("a.txt"), "one");
        Files.writeString(folder.resolve("docs/b.txt"), "two");
        List<String> feedReadsSince = new ArrayList<>();
        Interceptor recordFeedReads = chain -> {
            if (chain.request().url().encodedPath().endsWith("/changes")) {
                feedReadsSince.add(chain.request().url().queryParameter("since"));
            }
            return chain.proceed(chain.request());
        };
        try (ServerClient http = new ServerClient(server.url(), TestServer.TOKEN, null, List.of(recordFeedReads));
             SyncLoop carol = SyncLoop.open(new ClientConfig(server.url(), TestServer.TOKEN, folder, "carol",
                     Duration.ofSeconds(5)), http, Clock.systemDefaultZone())) {
            assertThat(carol.runPass().inSync()).isTrue();

            // The pass's second round asks only for what came after carol's own three changes.
            assertThat(carol.cursor()).isEqualTo(serverCursor()).isEqualTo(3); // docs, a.txt, docs/b.txt
            assertThat(feedReadsSince).containsExactly("0", "3");
        }
    }

    @Test
    void ownCommitAfterAnotherDevicesChangeLeavesTheCursorSoThatChangeIsStillRead() throws IOException {
        alice.write("a.txt", "one");
        bob.write("from-bob.txt", "bob's");
        // Bob commits between alice's plan and her commit: her changes get versions after his, and she must
        // still read his change from the feed rather than skip past it.
        alice.onceBeforeExecuting(() -> bob.sync());
        alice.sync();

        assertThat(alice.read("from-bob.txt")).isEqualTo("bob's");
        assertThat(alice.loop().cursor()).isEqualTo(serverCursor());
        bob.sync();
        assertThat(bob.tree()).isEqualTo(alice.tree());
    }

    private long serverCursor() throws IOException {
        try (ServerClient http = new ServerClient(server.url(), TestServer.TOKEN)) {
            return http.changes(0).cursor();
        }
    }

    @Test
    void staleCommitIsDecidedAgainWithTheNewerRemoteState() throws IOException {
        alice.write("race.txt", "base");
        alice.sync();
        bob.sync();

        alice.write("race.txt", "alice wins the name").touch("race.txt", 2_000_000_000_000L);
        bob.write("race.txt", "bob commits first").touch("race.txt", 1_000_000_000_000L);
        // Bob commits between alice's plan and her commit, so her commit gets 409 and she must reconcile again.
        alice.onceBeforeExecuting(() -> bob.sync());
        PassResult result = alice.sync();
        bob.sync();

        assertThat(result.inSync()).isTrue();
        assertThat(alice.tree()).isEqualTo(bob.tree());
        assertThat(alice.read("race.txt")).isEqualTo("alice wins the name");
        String copy = alice.tree().keySet().stream().filter(p -> p.contains(".sync-conflict-")).findFirst().orElseThrow();
        assertThat(alice.read(copy)).isEqualTo("bob commits first");
    }

    @Test
    void ignoredFilesAndSymlinksStayLocal() throws IOException {
        alice.write(".DS_Store", "litter").write("notes.txt.swp", "vim").write("~$report.docx", "office");
        alice.write(".syncignore", "build/\n*.log\n!keep.log\n");
        alice.write("build/out.o", "obj").write("app.log", "log").write("keep.log", "kept");
        Files.createSymbolicLink(alice.path("link"), alice.path("keep.log"));
        alice.sync();
        bob.sync();

        assertThat(bob.tree()).containsOnlyKeys(".syncignore", "keep.log");
    }

    @Test
    void aFileBeingReplacedByAFolderAndBackCrossesOver() throws IOException {
        alice.write("thing", "a file");
        alice.sync();
        bob.sync();

        alice.delete("thing");
        alice.write("thing/inside.txt", "now a folder");
        alice.sync();
        bob.sync();

        assertThat(bob.tree()).isEqualTo(alice.tree());
        assertThat(bob.read("thing/inside.txt")).isEqualTo("now a folder");
        assertThat(Files.isDirectory(bob.path("thing"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aFolderReachedThroughASymbolicLinkSyncsLikeAnyOther() throws IOException {
        alice.write("a/b.txt", "through the link");
        alice.sync();
        Path real = Files.createDirectories(temp.resolve("real-carol"));
        Path link = Files.createSymbolicLink(temp.resolve("carol-link"), real);
        TestClient carol = world.client("carol", link);

        carol.sync();

        assertThat(real.resolve("a/b.txt")).hasContent("through the link");
    }

    @Test
    void threeClientsConverge() throws IOException {
        TestClient carol = client("carol");
        alice.write("a.txt", "a");
        bob.write("b.txt", "b");
        carol.write("c/c.txt", "c");
        for (int round = 0; round < 2; round++) {
            for (TestClient c : world.clients()) {
                c.sync();
            }
        }
        Map<String, String> expected = alice.tree();
        assertThat(expected).containsKeys("a.txt", "b.txt", "c/c.txt");
        assertThat(bob.tree()).isEqualTo(expected);
        assertThat(carol.tree()).isEqualTo(expected);
    }
}
