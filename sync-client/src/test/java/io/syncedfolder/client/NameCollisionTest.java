package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.scan.FileSystemTraits;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Names a narrower file system cannot hold, end to end. This machine's disk holds every name apart, so the
 * narrow client plans as a case-insensitive (or Windows) disk would ({@link SyncLoop#assumeFileSystem}); what
 * it writes is then checked on the real disk: nothing overwritten, each clash copied once, the pass in sync.
 */
class NameCollisionTest extends WorldTest {
    TestClient alice;

    @BeforeEach
    void start() throws IOException {
        alice = world.client("alice");
    }

    @Test
    void namesThatDifferOnlyInCaseBecomeOneFileAndOneConflictCopy() throws IOException {
        alice.write("README.txt", "upper").write("Readme.txt", "mixed");
        alice.sync();
        TestClient bob = world.client("bob");
        bob.loop().assumeFileSystem(new FileSystemTraits(true, false));

        bob.sync();

        Map<String, String> bobs = bob.tree();
        assertThat(bobs).hasSize(2).containsKey("README.txt");
        String copy = bobs.keySet().stream().filter(p -> !p.equals("README.txt")).findFirst().orElseThrow();
        assertThat(copy).matches("Readme\\.sync-conflict-\\d{8}-\\d{6}-alice\\.txt");
        assertThat(bob.read("README.txt")).isEqualTo("upper");
        assertThat(bob.read(copy)).isEqualTo("mixed");

        alice.sync();
        assertThat(alice.tree()).containsKeys("README.txt", "Readme.txt", copy).hasSize(3);
        bob.sync();
        bob.sync();
        assertThat(bob.tree()).as("no second copy on later passes").isEqualTo(bobs);
    }

    @Test
    void namesWindowsRefusesAreSkippedWithoutFailingThePass() throws IOException {
        alice.write("CON", "device").write("notes/a:b.txt", "colon").write("fine.txt", "fine");
        alice.sync();
        TestClient carol = world.client("carol");
        carol.loop().assumeFileSystem(new FileSystemTraits(true, true));

        PassResult pass = carol.sync();

        assertThat(pass.inSync()).isTrue();
        assertThat(carol.tree()).containsOnlyKeys("fine.txt", "notes");
        alice.sync();
        assertThat(alice.tree()).containsKeys("CON", "notes/a:b.txt"); // nothing deleted for them
    }
}
