package io.syncedfolder.client.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {
    @TempDir
    Path root;

    @Test
    void describesFilesAndFoldersAndLeavesOutStateLinksAndIgnoredNames() throws IOException {
        Files.createDirectories(root.resolve("docs/empty"));
        Files.writeString(root.resolve("docs/a.txt"), "hello");
        Files.createDirectories(root.resolve(".sync"));
        Files.writeString(root.resolve(".sync/state.json"), "{}");
        Files.writeString(root.resolve(".DS_Store"), "x");
        Files.createSymbolicLink(root.resolve("link"), root.resolve("docs"));
        Path script = root.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh");
        Files.setPosixFilePermissions(script, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));

        LocalScan scan = new Scanner(root).scan(Map.of(), IgnoreRules.defaults());

        assertThat(scan.files()).containsOnlyKeys("docs", "docs/empty", "docs/a.txt", "run.sh");
        LocalFile a = scan.files().get("docs/a.txt");
        assertThat(a.sha256()).isEqualTo(Hashing.sha256Hex("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(a.size()).isEqualTo(5);
        assertThat(scan.files().get("docs").kind()).isEqualTo(EntryKind.DIRECTORY);
        assertThat(scan.files().get("run.sh").executable()).isTrue();
        assertThat(a.executable()).isFalse();
    }

    @Test
    void decomposedNamesOnDiskAreSyncedUnderTheirNfcForm() throws IOException {
        Files.writeString(root.resolve("cafe\u0301.txt"), "x");

        LocalScan scan = new Scanner(root).scan(Map.of(), IgnoreRules.defaults());

        assertThat(scan.files()).containsOnlyKeys("caf\u00e9.txt");
        assertThat(scan.files().get("caf\u00e9.txt").diskPath()).isEqualTo("cafe\u0301.txt");
    }

    @Test
    void unchangedFileWithAnOldStatReusesTheRecordedHashInsteadOfReadingIt() throws IOException {
        Path file = root.resolve("a.txt");
        Files.writeString(file, "real content");
        long oldMtime = System.currentTimeMillis() - 60_000;
        Files.setLastModifiedTime(file, FileTime.fromMillis(oldMtime));
        BaseEntry recorded = new BaseEntry("a.txt", EntryKind.FILE, 3, "f".repeat(64), 12, oldMtime, false, List.of(),
                System.currentTimeMillis());

        LocalScan scan = new Scanner(root).scan(Map.of("a.txt", recorded), IgnoreRules.defaults());

        assertThat(scan.files().get("a.txt").sha256()).as("taken from the base, not re-read").isEqualTo("f".repeat(64));
    }

    @Test
    void fileChangedInTheSameSecondAsItsHashIsReadAgain() throws IOException {
        Path file = root.resolve("a.txt");
        Files.writeString(file, "new content!");
        long mtime = Files.getLastModifiedTime(file).toMillis();
        BaseEntry recorded = new BaseEntry("a.txt", EntryKind.FILE, 3, "f".repeat(64), 12, mtime, false, List.of(), mtime);

        LocalScan scan = new Scanner(root).scan(Map.of("a.txt", recorded), IgnoreRules.defaults());

        assertThat(scan.files().get("a.txt").sha256())
                .isEqualTo(Hashing.sha256Hex("new content!".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unreadableFileIsSkippedNotTakenForDeleted() throws IOException {
        Path file = root.resolve("secret.txt");
        Files.writeString(file, "x");
        Files.setPosixFilePermissions(file, Set.of());
        try {
            assumeFalse(Files.isReadable(file), "running as root: permissions do not stop reading");
            LocalScan scan = new Scanner(root).scan(Map.of(), IgnoreRules.defaults());
            assertThat(scan.files()).doesNotContainKey("secret.txt");
            assertThat(scan.skipped()).contains("secret.txt");
        } finally {
            Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
    }

    @Test
    void partialRescanPicksUpNewNestedFoldersDeletionsAndLeavesTheRestAsItWas() throws IOException {
        Files.createDirectories(root.resolve("keep"));
        Files.writeString(root.resolve("keep/k.txt"), "keep");
        Files.writeString(root.resolve("gone.txt"), "gone");
        Scanner scanner = new Scanner(root);
        LocalScan first = scanner.scan(Map.of(), IgnoreRules.defaults());

        Files.delete(root.resolve("gone.txt"));
        Files.createDirectories(root.resolve("new/deeper"));
        Files.writeString(root.resolve("new/deeper/n.txt"), "new");
        Files.writeString(root.resolve("keep/k.txt"), "changed, but not reported as touched");
        LocalScan second = scanner.rescan(first, Set.of("gone.txt", "new/deeper/n.txt"), Map.of(), IgnoreRules.defaults());

        assertThat(second.files()).containsOnlyKeys("keep", "keep/k.txt", "new", "new/deeper", "new/deeper/n.txt");
        assertThat(second.files().get("keep/k.txt")).as("untouched paths keep their earlier description")
                .isEqualTo(first.files().get("keep/k.txt"));
        assertThat(second.skipped()).isEmpty();
    }

    @Test
    void partialRescanOfAFolderAndAFileInsideItDescribesEachOnce() throws IOException {
        Files.createDirectories(root.resolve("d"));
        Scanner scanner = new Scanner(root);
        LocalScan first = scanner.scan(Map.of(), IgnoreRules.defaults());
        Files.writeString(root.resolve("d/f.txt"), "x");

        LocalScan second = scanner.rescan(first, Set.of("d", "d/f.txt"), Map.of(), IgnoreRules.defaults());

        assertThat(second.files()).containsOnlyKeys("d", "d/f.txt");
        assertThat(second.skipped()).isEmpty();
    }

    @Test
    void partialRescanFindsAFileByItsNameOnDiskWhenThatIsNotNfc() throws IOException {
        Files.writeString(root.resolve("cafe\u0301.txt"), "x");
        Scanner scanner = new Scanner(root);
        LocalScan first = scanner.scan(Map.of(), IgnoreRules.defaults());
        Files.writeString(root.resolve("cafe\u0301.txt"), "longer now");

        LocalScan second = scanner.rescan(first, Set.of("caf\u00e9.txt"), Map.of(), IgnoreRules.defaults());

        assertThat(second.files().get("caf\u00e9.txt").size()).isEqualTo(10);
    }
}
