package io.syncedfolder.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The earlier versions {@link JsonFileIndex} keeps, on disk and across restarts. */
class IndexHistoryTest {
    private static final JournalLimits NEVER = new JournalLimits(Long.MAX_VALUE, Long.MAX_VALUE);
    private static final JournalLimits EVERY_COMMIT = new JournalLimits(1, Long.MAX_VALUE);
    private static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;

    private final List<JsonFileIndex> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (JsonFileIndex index : opened) {
            index.close();
        }
    }

    private JsonFileIndex open(JournalLimits limits, RetentionPolicy retention) throws IOException {
        JsonFileIndex index = JsonFileIndex.open(dir, limits, retention);
        opened.add(index);
        return index;
    }

    private static Change file(String path, long base, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = Hashing.sha256Hex(bytes);
        return Change.file(path, base, sha, bytes.length, 1_000, false, List.of(new ChunkRef(sha, bytes.length)));
    }

    private static String sha(String content) {
        return Hashing.sha256Hex(content.getBytes(StandardCharsets.UTF_8));
    }

    private static FileEntry accepted(CommitOutcome outcome) {
        assertThat(outcome).isInstanceOf(CommitOutcome.Accepted.class);
        return ((CommitOutcome.Accepted) outcome).entries().get(0);
    }

    /** Writes a.txt three times and deletes it, at days 0 to 3; b.txt once. */
    private void fourVersions(JsonFileIndex index) throws IOException {
        long a = accepted(index.commit(List.of(file("a.txt", 0, "one")), "laptop", 0)).version();
        a = accepted(index.commit(List.of(file("a.txt", a, "two")), "laptop", DAY)).version();
        accepted(index.commit(List.of(file("b.txt", 0, "bee")), "laptop", DAY));
        a = accepted(index.commit(List.of(file("a.txt", a, "three")), "laptop", 2 * DAY)).version();
        accepted(index.commit(List.of(Change.deletion("a.txt", a, EntryKind.FILE, 5)), "desktop", 3 * DAY));
    }

    private static List<Long> earlierVersions(PathHistory history) {
        return history.earlier().stream().map(past -> past.entry().version()).toList();
    }

    @Test
    void aReplacedEntryBecomesAnEarlierVersionWithTheCommitTime() throws IOException {
        JsonFileIndex index = open(NEVER, RetentionPolicy.DEFAULT);
        fourVersions(index);

        PathHistory history = index.history("a.txt", 3 * DAY).orElseThrow();

        assertThat(history.current().deleted()).isTrue();
        assertThat(history.current().version()).isEqualTo(5);
        assertThat(history.earlier()).extracting(past -> past.entry().version(), PastEntry::replacedAt)
                .containsExactly(tuple(4L, 3 * DAY),
                        tuple(2L, 2 * DAY),
                        tuple(1L, DAY));
        assertThat(index.history("b.txt", 3 * DAY).orElseThrow().earlier()).isEmpty();
        assertThat(index.history("never", 0)).isEmpty();
        assertThat(index.trash(3 * DAY)).extracting(h -> h.current().path()).containsExactly("a.txt");
    }

    @Test
    void historyIsTheSameAfterReplayingTheJournalAndAfterLoadingASnapshot() throws IOException {
        JsonFileIndex journaled = open(NEVER, RetentionPolicy.DEFAULT);
        fourVersions(journaled);
        PathHistory expected = journaled.history("a.txt", 3 * DAY).orElseThrow();
        journaled.close();

        assertThat(open(NEVER, RetentionPolicy.DEFAULT).history("a.txt", 3 * DAY)).contains(expected);
        opened.get(opened.size() - 1).close();

        // Compacting after every commit leaves everything in the snapshot and nothing in the journal.
        Files.deleteIfExists(dir.resolve(JsonFileIndex.SNAPSHOT));
        Files.delete(dir.resolve(JsonFileIndex.JOURNAL));
        JsonFileIndex compacted = open(EVERY_COMMIT, RetentionPolicy.DEFAULT);
        fourVersions(compacted);
        compacted.close();
        assertThat(Files.size(dir.resolve(JsonFileIndex.JOURNAL))).isZero();
        assertThat(Files.readString(dir.resolve(JsonFileIndex.SNAPSHOT))).contains("\"history\"", "\"replacedAt\"");

        assertThat(open(NEVER, RetentionPolicy.DEFAULT).history("a.txt", 3 * DAY)).contains(expected);
    }

    @Test
    void aSnapshotWrittenBeforeHistoryExistedLoadsWithNone() throws IOException {
        String sha = sha("old");
        Files.writeString(dir.resolve(JsonFileIndex.SNAPSHOT), """
                {"sequence":2,"entries":[
                 {"path":"a.txt","kind":"FILE","deleted":false,"version":1,"sha256":"%s","size":3,"mtime":1,
                  "executable":false,"chunks":[{"sha256":"%s","size":3}],"device":"old"},
                 {"path":"gone","kind":"FILE","deleted":true,"version":2,"size":0,"mtime":1,"executable":false,
                  "chunks":[],"device":"old"}]}
                """.formatted(sha, sha));

        JsonFileIndex index = open(NEVER, RetentionPolicy.DEFAULT);

        assertThat(index.history("a.txt", 0).orElseThrow().earlier()).isEmpty();
        assertThat(index.trash(0)).isEmpty();
        accepted(index.commit(List.of(file("a.txt", 1, "new")), "laptop", 10));
        assertThat(earlierVersions(index.history("a.txt", 10).orElseThrow())).containsExactly(1L);
        assertThat(index.markReferenced().hashes()).containsExactlyInAnyOrder(sha, sha("new"));
    }

    @Test
    void aSnapshotWithEarlierVersionsOutOfOrderIsCorrupt() throws IOException {
        Files.writeString(dir.resolve(JsonFileIndex.SNAPSHOT), """
                {"sequence":2,"entries":[
                 {"path":"a.txt","kind":"FILE","deleted":true,"version":1,"size":0,"mtime":1,"executable":false}],
                 "history":[{"replacedAt":5,"entry":
                 {"path":"a.txt","kind":"FILE","deleted":true,"version":2,"size":0,"mtime":1,"executable":false}}]}
                """);

        assertThatThrownBy(() -> open(NEVER, RetentionPolicy.DEFAULT))
                .isInstanceOf(IndexCorruptException.class).hasMessageContaining("out of order");
    }

    @Test
    void retentionByCountAppliesOnEveryCommitAndOnReplay() throws IOException {
        JsonFileIndex index = open(NEVER, new RetentionPolicy(1, Duration.ofDays(30)));
        fourVersions(index);

        assertThat(earlierVersions(index.history("a.txt", 3 * DAY).orElseThrow())).containsExactly(4L);
        index.close();
        assertThat(earlierVersions(open(NEVER, new RetentionPolicy(1, Duration.ofDays(30)))
                .history("a.txt", 3 * DAY).orElseThrow())).containsExactly(4L);
    }

    @Test
    void retentionByAgeCountsFromTheReplacementAndTheSweepDropsForGood() throws IOException {
        JsonFileIndex index = open(NEVER, new RetentionPolicy(20, Duration.ofDays(3)));
        fourVersions(index);

        // Version 1 was replaced at day 1, version 2 at day 2, version 4 (deleted) at day 3.
        assertThat(earlierVersions(index.history("a.txt", 4 * DAY - 1).orElseThrow())).containsExactly(4L, 2L, 1L);
        assertThat(earlierVersions(index.history("a.txt", 4 * DAY).orElseThrow())).containsExactly(4L, 2L);
        assertThat(index.sweep(4 * DAY)).isEqualTo(1);
        assertThat(index.sweep(4 * DAY)).isZero();
        assertThat(index.markReferenced().hashes()).doesNotContain(sha("one")).contains(sha("two"), sha("three"));
        assertThat(index.trash(6 * DAY - 1)).hasSize(1);
        assertThat(index.trash(6 * DAY)).isEmpty();
    }

    @Test
    void markingWritesASnapshotFirstSoADroppedVersionNeverComesBack() throws IOException {
        JsonFileIndex strict = open(NEVER, new RetentionPolicy(1, Duration.ofDays(30)));
        fourVersions(strict);
        strict.markReferenced();
        strict.close();

        JsonFileIndex generous = open(NEVER, RetentionPolicy.DEFAULT);

        assertThat(earlierVersions(generous.history("a.txt", 3 * DAY).orElseThrow())).containsExactly(4L);
    }

    @Test
    void chunksCommittedAfterAMarkIncludeVersionsReplacedSince() throws IOException {
        JsonFileIndex index = open(NEVER, new RetentionPolicy(0, Duration.ZERO));
        long a = accepted(index.commit(List.of(file("a.txt", 0, "one")), "laptop", 0)).version();
        ReferenceMark mark = index.markReferenced();
        a = accepted(index.commit(List.of(file("a.txt", a, "two")), "laptop", 1)).version();
        accepted(index.commit(List.of(file("a.txt", a, "three")), "laptop", 2));

        assertThat(mark.hashes()).containsExactly(sha("one"));
        // "two" is not kept (no history at all), but it was referenced after the mark: never deleted on that mark.
        assertThat(index.chunksCommittedAfter(mark.sequence())).containsExactlyInAnyOrder(sha("three"));
        assertThat(index.history("a.txt", 2)).map(PathHistory::earlier).contains(List.of());
        Optional<PathHistory> none = index.history("b.txt", 2);
        assertThat(none).isEmpty();
    }
}
