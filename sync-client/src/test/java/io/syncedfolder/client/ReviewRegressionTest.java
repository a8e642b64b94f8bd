package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.scan.Scanner;
import io.syncedfolder.client.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for the findings of the first review of the client, each named after what it pins.
 */
class ReviewRegressionTest {
    @TempDir
    Path temp;
    TestWorld world;
    TestServer server;

    @BeforeEach
    void start() throws IOException {
        world = new TestWorld(temp);
        server = world.server;
    }

    @AfterEach
    void stop() throws IOException {
        world.close();
    }

    TestClient client(String name) throws IOException {
        return world.client(name);
    }

    /** A file whose name is NFD on disk (as macOS and Mac-made zips name it) syncs under its NFC name. */
    @Test
    void nfdNamedFileSyncsUnderItsNfcName() throws IOException {
        TestClient bob = client("bob");
        TestClient alice = client("alice");
        Files.writeString(bob.folder.resolve("cafe\u0301.txt"), "bob's file");
        bob.sync();
        alice.sync();

        assertThat(alice.read("caf\u00e9.txt")).isEqualTo("bob's file");
        Files.writeString(bob.folder.resolve("cafe\u0301.txt"), "bob's edit, longer");
        bob.sync();
        alice.sync();
        assertThat(alice.read("caf\u00e9.txt")).isEqualTo("bob's edit, longer");
    }

    /** A download into a folder named in NFD on disk lands in that folder, not in a second NFC-named one. */
    @Test
    void downloadIntoAnNfdFolderLandsInThatFolder() throws IOException {
        TestClient alice = client("alice");
        TestClient bob = client("bob");
        String nfd = "cafe\u0301";
        String nfc = "caf\u00e9";
        Files.createDirectories(bob.folder.resolve(nfd));
        bob.sync();                       // the folder itself uploads fine
        alice.sync();
        alice.write(nfc + "/b.txt", "alice's file");
        alice.sync();

        bob.sync();
        bob.sync();
        alice.sync();

        assertThat(bob.folder.resolve(nfd + "/b.txt")).hasContent("alice's file");
        assertThat(bob.folder.resolve(nfc)).as("no second folder").doesNotExist();
        assertThat(alice.read(nfc + "/b.txt")).isEqualTo("alice's file");
    }

    /** A folder turned into a file on one client becomes that file on the others, which did not touch it. */
    @Test
    void folderReplacedByAFileIsReplacedEverywhere() throws IOException {
        TestClient alice = client("alice");
        TestClient bob = client("bob");
        alice.write("a/x.txt", "inside");
        alice.sync();
        bob.sync();

        alice.delete("a");
        alice.write("a", "now a file");
        alice.sync();
        bob.sync();
        alice.sync();

        assertThat(Files.isRegularFile(alice.path("a"))).as("alice still has her file a").isTrue();
        assertThat(bob.read("a")).isEqualTo("now a file");
        assertThat(alice.tree()).isEqualTo(bob.tree()).containsOnlyKeys("a");
    }

    /** OS litter (.DS_Store) inside a folder deleted elsewhere is deleted with it; the folder stays deleted. */
    @Test
    void osLitterDoesNotBringDeletedFoldersBack() throws IOException {
        TestClient alice = client("alice");
        TestClient bob = client("bob");
        alice.write("d/a.txt", "x");
        alice.sync();
        bob.sync();
        bob.write("d/.DS_Store", "finder litter");

        alice.delete("d");
        alice.sync();
        bob.sync();
        bob.sync();
        alice.sync();

        assertThat(alice.exists("d")).as("the folder alice deleted came back").isFalse();
        assertThat(bob.exists("d")).isFalse();
    }

    /** A bad .syncignore line is skipped with a warning; the other lines still apply. */
    @Test
    void badIgnorePatternIsSkipped() throws IOException {
        TestClient alice = client("alice");
        TestClient bob = client("bob");
        alice.write(".syncignore", "[z-a]\n*.log\n").write("a.log", "ignored").write("a.txt", "synced");
        alice.sync();
        bob.sync();

        assertThat(bob.tree()).containsOnlyKeys(".syncignore", "a.txt");
    }

    /** A folder the scan cannot look into is left alone: its files are not taken for deleted. */
    @Test
    void filesInAFolderThatCannotBeReadAreNotDeletedElsewhere() throws IOException {
        TestClient alice = client("alice");
        TestClient bob = client("bob");
        alice.write("d/precious.txt", "keep me");
        alice.sync();
        bob.sync();
        Files.delete(alice.path("d/precious.txt"));
        Files.delete(alice.path("d"));
        Files.createSymbolicLink(alice.path("d"), temp); // now a link: never followed, never synced

        alice.loop().runPass();
        bob.sync();

        assertThat(bob.read("d/precious.txt")).isEqualTo("keep me");
    }

    /** A server that lost its data and then got more commits than this client had seen is still noticed. */
    @Test
    void serverThatLostItsDataIsNoticedEvenPastTheOldCursor() throws IOException {
        TestClient alice = client("alice");
        alice.write("a.txt", "one").write("b.txt", "two");
        alice.sync();
        server.stop();
        TestClient.deleteTree(temp.resolve("server"));
        server.startAgain();
        TestClient carol = client("carol");
        carol.write("x1.txt", "1").write("x2.txt", "2").write("x3.txt", "3");
        carol.sync();

        alice.write("a.txt", "edited after the reset");
        alice.sync();
        carol.sync();

        assertThat(alice.tree()).isEqualTo(carol.tree()).containsKeys("a.txt", "b.txt", "x1.txt", "x2.txt", "x3.txt");
        assertThat(carol.read("a.txt")).isEqualTo("edited after the reset");
    }

    /**
     * A file written just before a pass is hashed again on the next pass (its mtime is too close to the hash
     * to be trusted), but once found unchanged it is trusted from then on instead of hashed on every pass.
     */
    @Test
    void aFileHashedTooSoonAfterItsWriteIsTrustedOnceFoundUnchanged() throws Exception {
        TestClient alice = client("alice");
        alice.write("fresh.txt", "written right before the pass").sync();
        long firstHash = hashedAt(alice, "fresh.txt");
        Thread.sleep(2_100); // past the racy margin: the mtime is now old enough to trust a new hash

        alice.sync();
        long secondHash = hashedAt(alice, "fresh.txt");
        assertThat(secondHash).as("the unchanged file's hash is recorded as fresh").isGreaterThan(firstHash);
        assertThat(Scanner.trustsHash(Files.getLastModifiedTime(alice.path("fresh.txt")).toMillis(), secondHash)).isTrue();

        alice.sync();
        assertThat(hashedAt(alice, "fresh.txt")).as("a trusted hash is not renewed").isEqualTo(secondHash);
    }

    private static long hashedAt(TestClient client, String path) throws IOException {
        return StateStore.peek(client.folder.resolve(".sync")).orElseThrow().base().stream()
                .filter(entry -> entry.path().equals(path)).findFirst().orElseThrow().hashedAt();
    }
}
