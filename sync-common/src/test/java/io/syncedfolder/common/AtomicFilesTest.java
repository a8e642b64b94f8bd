package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("state.json");
        AtomicFiles.writeBytes(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeBytes(target, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("new");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailedWriteKeepsTheOldContent() throws IOException {
        Path target = dir.resolve("state.json");
        AtomicFiles.writeBytes(target, "old".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(target).hasContent("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void jsonRoundTripOfAnEntry() throws IOException {
        FileEntry entry = new FileEntry("a/b.txt", EntryKind.FILE, false, 7, Hashing.EMPTY_SHA256, 0, 123, true,
                java.util.List.of(), "laptop");
        String json = Json.mapper().writeValueAsString(entry);
        assertThat(Json.mapper().readValue(json, FileEntry.class)).isEqualTo(entry);
    }
}
