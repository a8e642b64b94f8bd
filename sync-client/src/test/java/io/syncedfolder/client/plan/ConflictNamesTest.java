package io.syncedfolder.client.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Conflict-copy names are read back into what they were made from. */
class ConflictNamesTest {
    private static final Instant WHEN = Instant.parse("2026-11-22T03:15:00Z");

    private static String copy(String path, String device) {
        return ConflictNames.copyPath(path, device, WHEN, ZoneOffset.UTC, p -> false);
    }

    @Test
    void aCopyNameGivesBackTheOriginalTheTimeAndTheDevice() {
        String copy = copy("docs/report.txt", "laptop");

        assertThat(copy).isEqualTo("docs/report.sync-conflict-20261122-031500-laptop.txt");
        assertThat(ConflictNames.parse(copy)).contains(new ConflictNames.CopyName("docs/report.txt",
                LocalDateTime.of(2026, 11, 22, 3, 15, 0), "laptop"));
    }

    @Test
    void namesWithoutAnExtensionOrWithSeveralDotsAndDevicesWithDotsAndDashes() {
        assertThat(ConflictNames.parse(copy("Makefile", "desk-top")).orElseThrow())
                .extracting(ConflictNames.CopyName::original, ConflictNames.CopyName::device)
                .containsExactly("Makefile", "desk-top");
        assertThat(ConflictNames.parse(copy("archive.tar.gz", "my.laptop")).orElseThrow())
                .extracting(ConflictNames.CopyName::original, ConflictNames.CopyName::device)
                .containsExactly("archive.tar.gz", "my.laptop");
        assertThat(ConflictNames.parse(copy(".bashrc", "pc")).orElseThrow().original()).isEqualTo(".bashrc");
    }

    @Test
    void otherNamesAreNotCopies() {
        assertThat(ConflictNames.parse("report.txt")).isEmpty();
        assertThat(ConflictNames.parse("report.sync-conflict-.txt")).isEmpty();
        assertThat(ConflictNames.parse("report.sync-conflict-2026112-031500-pc.txt")).isEmpty();
        assertThat(ConflictNames.parse("report.sync-conflict-20261399-031500-pc.txt")).isEmpty();
        assertThat(ConflictNames.parse("dir.sync-conflict-20261122-031500-pc/inside.txt")).isEmpty();
    }

    @Test
    void onlyTheLastNameOfAPathMakesItACopy() {
        assertThat(ConflictNames.isCopy("a/b.sync-conflict-20261122-031500-pc.txt")).isTrue();
        assertThat(ConflictNames.isCopy("b.sync-conflict-20261122-031500-pc.txt")).isTrue();
        assertThat(ConflictNames.isCopy("dir.sync-conflict-20261122-031500-pc/inside.txt")).isFalse();
        assertThat(ConflictNames.isCopy("a.sync-conflict-/b")).isFalse();
        assertThat(ConflictNames.isCopy("a/.sync-conflict-")).isTrue();
    }
}
