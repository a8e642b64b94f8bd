package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncedfolder.client.safety.FolderGoneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mass-delete breaker and the vanished-folder check, with real clients against a real server. */
class SafetyNetTest extends WorldTest {
    private static final int FILES = 20;
    private static final int DEFAULT_PERCENT = ClientConfig.Safety.DEFAULT_MAX_DELETE_PERCENT;

    TestClient alice;
    TestClient bob;
    Path knownFolders;

    @BeforeEach
    void start() throws IOException {
        knownFolders = temp.resolve("home/known-folders");
        alice = world.client("alice", temp.resolve("alice"), this::remembered);
        bob = world.client("bob");
        for (int i = 0; i < FILES; i++) {
            alice.write("photos/" + i + ".jpg", "photo " + i);
        }
        alice.sync();
        bob.sync();
    }

    private ClientConfig remembered(ClientConfig defaults) {
        return withSafety(defaults, DEFAULT_PERCENT, false, false);
    }

    private ClientConfig withSafety(ClientConfig c, int maxPercent, boolean allowMassDelete, boolean recreate) {
        return new ClientConfig(c.serverUrl(), c.token(), c.folder(), c.device(), c.interval(),
                new ClientConfig.Safety(maxPercent, allowMassDelete, c.safety().maxConflictCopies(), knownFolders, recreate));
    }

    @Test
    void anEmptiedFolderDoesNotEmptyTheServer() throws IOException {
        alice.delete("photos");

        PassResult pass = alice.loop().runPass();

        assertThat(pass.inSync()).isFalse();
        assertThat(pass.problems()).singleElement().asString()
                .startsWith("stopped before deleting 20 of 20 synced files on the server (100 %)")
                .contains("--allow-mass-delete");
        bob.sync();
        assertThat(bob.tree()).hasSize(FILES + 1);
        // Still refused on the next pass: nothing was recorded as done.
        assertThat(alice.loop().runPass().problems()).hasSize(1);
    }

    @Test
    void allowMassDeleteLetsOnePassThroughAndTheOtherSideStopsToo() throws IOException {
        alice.delete("photos");
        TestClient meant = reopen(alice, c -> withSafety(c, DEFAULT_PERCENT, true, false));
        meant.sync();

        PassResult incoming = bob.loop().runPass();
        assertThat(incoming.problems()).singleElement().asString()
                .startsWith("stopped before deleting 20 of 20 synced files here (100 %): they were deleted on alice");
        assertThat(bob.tree()).hasSize(FILES + 1);

        TestClient bobAgrees = reopen(bob, c -> withSafety(c, DEFAULT_PERCENT, true, false));
        bobAgrees.sync();
        assertThat(bobAgrees.tree()).isEqualTo(meant.tree()).doesNotContainKey("photos/0.jpg");
    }

    @Test
    void allowMassDeleteCoversOnlyTheFirstPass() throws IOException {
        TestClient meant = reopen(alice, c -> withSafety(c, DEFAULT_PERCENT, true, false));
        meant.sync();
        for (int i = 0; i < FILES; i++) {
            meant.write("docs/" + i + ".txt", "doc " + i);
        }
        meant.sync();
        meant.delete("docs");
        meant.delete("photos");

        assertThat(meant.loop().runPass().problems()).singleElement().asString()
                .startsWith("stopped before deleting 40 of 40");
    }

    @Test
    void deletionsUnderTheLimitGoThrough() throws IOException {
        for (int i = 0; i < 10; i++) {
            alice.delete("photos/" + i + ".jpg");
        }
        alice.sync();
        bob.sync();
        assertThat(bob.tree()).isEqualTo(alice.tree()).hasSize(FILES - 10 + 1);
    }

    @Test
    void theLimitIsAnOption() throws IOException {
        TestClient strict = reopen(alice, c -> withSafety(c, 10, false, false));
        for (int i = 0; i < 11; i++) {
            strict.delete("photos/" + i + ".jpg");
        }
        assertThat(strict.loop().runPass().problems()).singleElement().asString()
                .startsWith("stopped before deleting 11 of 20 synced files on the server (55 %)")
                .contains("more than 10 %");
    }

    @Test
    void aFolderThatVanishedIsNotRecreatedEmpty() throws IOException {
        alice.close();
        world.closed(alice);
        TestClient.deleteTree(alice.folder); // as if its drive were not mounted

        assertThatThrownBy(() -> world.client("alice", alice.folder, this::remembered))
                .isInstanceOf(FolderGoneException.class)
                .hasMessageContaining("was synced before but is missing now")
                .hasMessageContaining("--recreate-folder");
        assertThat(alice.folder).doesNotExist();

        TestClient fresh = world.client("alice", alice.folder,
                c -> withSafety(c, DEFAULT_PERCENT, false, true));
        fresh.sync();
        assertThat(fresh.tree()).isEqualTo(bob.tree()).hasSize(FILES + 1);
    }

    @Test
    void aFolderWithoutItsStateIsNotSyncedAsNew() throws IOException {
        alice.close();
        world.closed(alice);
        TestClient.deleteTree(alice.folder.resolve(".sync"));

        assertThatThrownBy(() -> world.client("alice", alice.folder, this::remembered))
                .isInstanceOf(FolderGoneException.class)
                .hasMessageContaining("its .sync state folder is missing");
        assertThat(alice.folder.resolve(".sync")).doesNotExist();
    }

    @Test
    void aFolderThatVanishesWhileTheClientRunsStopsThePass() throws IOException {
        Map<String, String> before = bob.tree();
        TestClient.deleteTree(alice.folder);

        assertThatThrownBy(() -> alice.loop().runPass())
                .isInstanceOf(FolderGoneException.class)
                .hasMessageContaining("is missing now");
        assertThat(alice.folder).doesNotExist();
        bob.sync();
        assertThat(bob.tree()).isEqualTo(before);
    }

    @Test
    void aNewFolderIsRememberedAfterItsFirstPass() throws IOException {
        TestClient carol = world.client("carol", temp.resolve("carol"), this::remembered);
        carol.sync();
        assertThat(Files.readAllLines(knownFolders)).contains(alice.folder.toAbsolutePath().normalize().toString(),
                carol.folder.toAbsolutePath().normalize().toString());
    }

    private TestClient reopen(TestClient client, java.util.function.UnaryOperator<ClientConfig> settings) throws IOException {
        client.close();
        world.closed(client);
        return world.client(client.name, client.folder, settings);
    }
}
