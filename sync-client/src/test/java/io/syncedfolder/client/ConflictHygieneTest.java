package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Conflict copies stay few and never nest, with real clients against a real server. */
class ConflictHygieneTest extends WorldTest {
    private static final String OLDEST = "report.sync-conflict-20261101-080000-desktop.txt";
    private static final String MIDDLE = "report.sync-conflict-20261102-080000-desktop.txt";
    private static final String NEWEST = "report.sync-conflict-20261103-080000-desktop.txt";


    @Test
    void theOldestSyncedCopyGoesEverywhereWhenAFileHasMoreThanTheLimit() throws IOException {
        TestClient alice = world.client("alice", temp.resolve("alice"), c -> new ClientConfig(c.serverUrl(), c.token(),
                c.folder(), c.device(), c.interval(), new ClientConfig.Safety(50, false, 2, null, false)));
        TestClient bob = world.client("bob");
        bob.write("report.txt", "report").write(OLDEST, "one").write(MIDDLE, "two").write(NEWEST, "three");
        bob.sync();

        alice.sync(); // downloads all three, then removes the oldest once it is synced here
        bob.sync();

        assertThat(alice.tree()).containsOnlyKeys("report.txt", MIDDLE, NEWEST);
        assertThat(bob.tree()).isEqualTo(alice.tree());
    }

    @Test
    void aConflictOnAConflictCopyKeepsThisDevicesVersionWithoutANewCopy() throws IOException {
        TestClient alice = world.client("alice");
        TestClient bob = world.client("bob");
        alice.write(OLDEST, "original copy");
        alice.sync();
        bob.sync();
        alice.write(OLDEST, "alice edited the copy").touch(OLDEST, 5_000_000_000_000L);
        bob.write(OLDEST, "bob edited it later").touch(OLDEST, 6_000_000_000_000L);
        alice.sync();

        bob.sync();
        alice.sync();

        assertThat(bob.tree()).containsOnlyKeys(OLDEST);
        assertThat(bob.read(OLDEST)).isEqualTo("bob edited it later");
        assertThat(alice.tree()).isEqualTo(bob.tree());
    }
}
