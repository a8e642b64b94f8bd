package io.syncedfolder.client.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk shares a tree's folders among threads; these tests build a tree with many folders and every kind
 * of entry the scanner treats specially, and check the scan finds exactly what a walk on one thread would.
 */
class ScannerParallelWalkTest {
    private static final int TOP_FOLDERS = 30;
    private static final int SUBFOLDERS = 4;
    private static final int FILES = 5;

    @TempDir
    Path root;

    /** Expected NFC path to expected disk path, of every synced file and folder. */
    private final Map<String, String> expectedDiskPaths = new HashMap<>();
    /** Expected content of every synced file, by NFC path. */
    private final Map<String, String> expectedContent = new HashMap<>();
    private final Set<String> expectedSkipped = new HashSet<>();
    private final Set<String> expectedUnsynced = new HashSet<>();
    private final IgnoreRules ignore = IgnoreRules.parse(List.of("build/"));

    @BeforeEach
    void buildTree() throws IOException {
        for (int t = 0; t < TOP_FOLDERS; t++) {
            String top = "t%02d".formatted(t);
            folder(top, top);
            for (int s = 0; s < SUBFOLDERS; s++) {
                String sub = top + "/s" + s;
                folder(sub, sub);
                for (int f = 0; f < FILES; f++) {
                    file(sub + "/f" + f + ".txt", sub + "/f" + f + ".txt");
                }
            }
            if (t % 7 == 0) {
                Files.createSymbolicLink(root.resolve(top + "/link"), root.resolve(top + "/s0"));
                expectedUnsynced.add(top + "/link");
            }
        }
        file("top.txt", "top.txt");
        Files.createDirectories(root.resolve(".sync"));
        Files.writeString(root.resolve(".sync/state.json"), "{}");
        // Two names that differ only in Unicode form: one is synced, the other left for the user to rename.
        Files.writeString(root.resolve("t03/s1/cafe\u0301.txt"), "decomposed");
        Files.writeString(root.resolve("t03/s1/caf\u00e9.txt"), "composed");
        expectedDiskPaths.put("t03/s1/caf\u00e9.txt", null); // either name, whichever the folder lists first
        expectedSkipped.add("t03/s1/caf\u00e9.txt");
        // A decomposed folder name: everything inside it is synced under the composed form.
        folder("t05/nai\u0308ve", "t05/na\u00efve");
        file("t05/nai\u0308ve/x.txt", "t05/na\u00efve/x.txt");
        file("t05/s2/\u00fcber.txt", "t05/s2/\u00fcber.txt");
        // Ignored by default, ignored by a folder pattern, and a file that only looks like that folder.
        Files.writeString(root.resolve("t06/s0/.DS_Store"), "x");
        Files.writeString(root.resolve("t06/s0/notes.swp"), "x");
        Files.createDirectories(root.resolve("t07/build/deep"));
        Files.writeString(root.resolve("t07/build/deep/out.o"), "x");
        file("t07/s1/build", "t07/s1/build");
        // Not a valid sync name: left out, with a warning.
        Files.writeString(root.resolve("t08/s0/back\\slash.txt"), "x");
    }

    @Test
    void manyFoldersScanToExactlyWhatOneThreadWouldFind() throws IOException {
        LocalScan scan = new Scanner(root).scan(Map.of(), ignore);

        assertThat(scan.files().keySet()).containsExactlyElementsOf(new TreeMap<>(expectedDiskPaths).keySet());
        expectedDiskPaths.forEach((path, diskPath) -> {
            LocalFile found = scan.files().get(path);
            if (diskPath != null) {
                assertThat(found.diskPath()).as(path).isEqualTo(diskPath);
            }
            String content = expectedContent.get(path);
            if (content != null) {
                assertThat(found.sha256()).as(path).isEqualTo(sha256(content));
            }
        });
        LocalFile cafe = scan.files().get("t03/s1/caf\u00e9.txt");
        boolean composedWon = cafe.diskPath().equals("t03/s1/caf\u00e9.txt");
        assertThat(cafe.sha256()).isEqualTo(sha256(composedWon ? "composed" : "decomposed"));
        assertThat(scan.skipped()).isEqualTo(expectedSkipped);
        assertThat(scan.unsynced()).isEqualTo(expectedUnsynced);
    }

    @Test
    void repeatedScansAreEqual() throws IOException {
        Scanner scanner = new Scanner(root);

        LocalScan first = scanner.scan(Map.of(), ignore);
        LocalScan second = scanner.scan(Map.of(), ignore);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void unchangedFilesInEveryFolderTakeTheirHashFromTheBase() throws IOException {
        long oldMtime = System.currentTimeMillis() - 60_000;
        for (String path : expectedContent.keySet()) {
            Files.setLastModifiedTime(root.resolve(expectedDiskPaths.get(path)), FileTime.fromMillis(oldMtime));
        }
        Map<String, BaseEntry> base = new HashMap<>();
        for (String path : expectedContent.keySet()) {
            long size = expectedContent.get(path).getBytes(StandardCharsets.UTF_8).length;
            base.put(path, new BaseEntry(path, EntryKind.FILE, 1, "f".repeat(64), size, oldMtime, false, List.of(),
                    System.currentTimeMillis()));
        }

        LocalScan scan = new Scanner(root).scan(base, ignore);

        for (String path : expectedContent.keySet()) {
            assertThat(scan.files().get(path).sha256()).as(path).isEqualTo("f".repeat(64));
        }
    }

    @Test
    void rescanOfFoldersWithManySubfoldersFindsTheSameAsAFullScan() throws IOException {
        Scanner scanner = new Scanner(root);
        LocalScan full = scanner.scan(Map.of(), ignore);

        LocalScan rescanned = scanner.rescan(full, Set.of("t00", "t03", "t05"), Map.of(), ignore);

        assertThat(rescanned).isEqualTo(full);
    }

    private void folder(String diskPath, String path) throws IOException {
        Files.createDirectories(root.resolve(diskPath));
        expectedDiskPaths.put(path, diskPath);
    }

    private void file(String diskPath, String path) throws IOException {
        String content = "content of " + diskPath;
        Files.writeString(root.resolve(diskPath), content);
        expectedDiskPaths.put(path, diskPath);
        expectedContent.put(path, content);
    }

    private static String sha256(String content) {
        return Hashing.sha256Hex(content.getBytes(StandardCharsets.UTF_8));
    }
}
