package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real disk faults on the receiving client: an immutable file and folder ({@code chattr +i}, which even root
 * cannot write through) and a full disk (a small tmpfs mounted as the folder). The pass goes on with the other
 * files, says what failed, records nothing it did not do, and finishes the job once the fault is gone.
 */
class DiskFaultTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path temp;

    TestWorld world;
    TestClient alice;
    final List<Path> immutable = new ArrayList<>();
    Path mounted;

    @BeforeEach
    void start() throws IOException {
        world = new TestWorld(temp);
        alice = world.client("alice");
    }

    @AfterEach
    void stop() throws IOException {
        for (Path p : immutable) {
            run("chattr", "-i", p.toString());
        }
        world.close();
        if (mounted != null) {
            run("umount", mounted.toString());
        }
    }

    @Test
    void anImmutableFileIsReportedAndUpdatedOnceItCanBe() throws IOException {
        alice.write("locked.txt", "old").write("free.txt", "old");
        alice.sync();
        TestClient bob = world.client("bob");
        bob.sync();
        makeImmutable(bob.path("locked.txt"));
        alice.write("locked.txt", "new locked").write("free.txt", "new free");
        alice.sync();

        PassResult pass = bob.loop().runPass();

        assertThat(pass.inSync()).isFalse();
        assertThat(pass.problems()).containsExactly("could not sync locked.txt: Operation not permitted (locked.txt)");
        assertThat(bob.read("free.txt")).isEqualTo("new free");
        assertThat(bob.read("locked.txt")).isEqualTo("old");

        makeWritable(bob.path("locked.txt"));
        bob.sync();
        alice.sync();
        // Had the failed download been recorded as done, the old bytes would now look like a local edit.
        assertThat(bob.read("locked.txt")).isEqualTo("new locked");
        assertThat(alice.read("locked.txt")).isEqualTo("new locked");
    }

    @Test
    void aFolderThatCannotBeWrittenHoldsBackOnlyItsOwnFiles() throws IOException {
        alice.write("shared/a.txt", "a");
        alice.sync();
        TestClient bob = world.client("bob");
        bob.sync();
        makeImmutable(bob.path("shared"));
        alice.write("shared/new.txt", "new").write("top.txt", "top");
        alice.sync();

        PassResult pass = bob.loop().runPass();

        assertThat(pass.problems()).singleElement().asString().startsWith("could not sync shared/new.txt: ");
        assertThat(bob.read("top.txt")).isEqualTo("top");
        makeWritable(bob.path("shared"));
        bob.sync();
        assertThat(bob.tree()).isEqualTo(alice.tree());
    }

    @Test
    void aProblemThatPersistsIsLoggedOnce() throws IOException {
        alice.write("locked.txt", "old");
        alice.sync();
        TestClient bob = world.client("bob");
        bob.sync();
        makeImmutable(bob.path("locked.txt"));
        alice.write("locked.txt", "new");
        alice.sync();

        String log = ClientLog.of(() -> {
            for (int pass = 0; pass < 3; pass++) {
                assertThat(bob.loop().runPass().problems()).hasSize(1);
            }
        });

        assertThat(log.lines().filter(line -> line.contains("WARN could not sync locked.txt"))).hasSize(1);
    }

    @Test
    void aFullDiskLeavesNoPartialFileAndTheDownloadCompletesWhenThereIsRoom() throws IOException {
        Path folder = temp.resolve("bob");
        mountTmpfs(folder, "3m");
        TestClient bob = world.client("bob", folder);
        byte[] big = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(big);
        alice.write("big.bin", big).write("small.txt", "small");
        alice.sync();

        PassResult pass = bob.loop().runPass();

        assertThat(pass.problems()).singleElement().asString()
                .startsWith("could not sync big.bin: the disk is full (8.0 MB needed)");
        assertThat(bob.read("small.txt")).isEqualTo("small");
        assertThat(bob.exists("big.bin")).isFalse();
        try (Stream<Path> left = Files.walk(folder.resolve(".sync/tmp"))) {
            assertThat(left.filter(Files::isRegularFile)).as("part files left on a full disk").isEmpty();
        }

        run("mount", "-o", "remount,size=64m", folder.toString());
        bob.sync();
        assertThat(bob.tree()).isEqualTo(alice.tree());
    }

    private void makeImmutable(Path p) throws IOException {
        requireFault(run("chattr", "+i", p.toString()), "chattr +i");
        immutable.add(p);
    }

    private void makeWritable(Path p) throws IOException {
        assertThat(run("chattr", "-i", p.toString())).isTrue();
        immutable.remove(p);
    }

    private void mountTmpfs(Path dir, String size) throws IOException {
        Files.createDirectories(dir);
        requireFault(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()), "mount -t tmpfs");
        mounted = dir;
    }

    /**
     * Skips the test where the fault cannot be made (not root), but fails it where it should be possible: these
     * tests run as root in CI, and a silent skip there would hide that they stopped testing anything.
     */
    private static void requireFault(boolean made, String how) {
        if (ROOT) {
            assertThat(made).as("%s failed although the tests run as root", how).isTrue();
        } else {
            assumeTrue(made, how + " needs root");
        }
    }

    private static boolean run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getInputStream().transferTo(System.out);
            return process.waitFor() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
