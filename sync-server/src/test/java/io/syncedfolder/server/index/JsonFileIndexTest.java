package io.syncedfolder.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileIndexTest {
    private static final JournalLimits NEVER = new JournalLimits(Long.MAX_VALUE, Long.MAX_VALUE);

    @TempDir
    Path dir;

    private final List<JsonFileIndex> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (JsonFileIndex index : opened) {
            index.close();
        }
    }

    private JsonFileIndex open(JournalLimits limits) throws IOException {
        JsonFileIndex index = JsonFileIndex.open(dir, limits);
        opened.add(index);
        return index;
    }

    /** Commits three files in three commits, closes the index, and returns its journal. */
    private Path journalOfThreeCommits() throws IOException {
        JsonFileIndex index = open(NEVER);
        for (int i = 0; i < 3; i++) {
            index.commit(List.of(file("f" + i, 0, "x")), "laptop", i);
        }
        index.close();
        return dir.resolve(JsonFileIndex.JOURNAL);
    }

    private static Change file(String path, long base, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = Hashing.sha256Hex(bytes);
        List<ChunkRef> chunks = bytes.length == 0 ? List.of() : List.of(new ChunkRef(sha, bytes.length));
        return Change.file(path, base, sha, bytes.length, 1_000, false, chunks);
    }

    private static CommitOutcome.Accepted accepted(CommitOutcome outcome) {
        assertThat(outcome).isInstanceOf(CommitOutcome.Accepted.class);
        return (CommitOutcome.Accepted) outcome;
    }

    private static List<String> paths(List<FileEntry> entries) {
        return entries.stream().map(FileEntry::path).toList();
    }

    @Test
    void commitGivesEachChangeTheNextVersionInRequestOrder() throws IOException {
        JsonFileIndex index = open(NEVER);

        CommitOutcome.Accepted first = accepted(index.commit(
                List.of(file("b.txt", 0, "b"), Change.directory("docs", 0, 5), file("docs/a.txt", 0, "a")),
                "laptop", 42));
        CommitOutcome.Accepted second = accepted(index.commit(List.of(file("c.txt", 0, "")), "phone", 43));

        assertThat(first.entries()).extracting(FileEntry::path, FileEntry::version)
                .containsExactly(tuple("b.txt", 1L),
                        tuple("docs", 2L),
                        tuple("docs/a.txt", 3L));
        assertThat(first.cursor()).isEqualTo(3);
        assertThat(second.entries()).singleElement().satisfies(e -> {
            assertThat(e.version()).isEqualTo(4);
            assertThat(e.device()).isEqualTo("phone");
            assertThat(e.size()).isZero();
            assertThat(e.chunks()).isEmpty();
        });
        assertThat(index.sequence()).isEqualTo(4);
        assertThat(index.get("docs")).hasValueSatisfying(e -> {
            assertThat(e.isLiveDirectory()).isTrue();
            assertThat(e.device()).isEqualTo("laptop");
            assertThat(e.mtime()).isEqualTo(5);
        });
        assertThat(index.get("docs/a.txt").orElseThrow().sha256()).isEqualTo(Hashing.sha256Hex("a".getBytes()));
        assertThat(index.get("missing.txt")).isEmpty();
    }

    @Test
    void staleBaseVersionRefusesTheWholeBatch() throws IOException {
        JsonFileIndex index = open(NEVER);
        FileEntry a = accepted(index.commit(List.of(file("a.txt", 0, "one")), "laptop", 1)).entries().get(0);

        CommitOutcome outcome = index.commit(
                List.of(file("new.txt", 0, "fresh"), file("a.txt", 0, "two"), file("ghost.txt", 7, "x")),
                "phone", 2);

        assertThat(outcome).isEqualTo(new CommitOutcome.Stale(List.of("a.txt", "ghost.txt"), List.of(a)));
        assertThat(index.sequence()).isEqualTo(1);
        assertThat(index.get("new.txt")).isEmpty();
        assertThat(index.get("a.txt")).contains(a);
        assertThat(index.changesSince(0, 100).entries()).containsExactly(a);
    }

    @Test
    void deletionLeavesATombstoneThatCountsAsTheCurrentVersion() throws IOException {
        JsonFileIndex index = open(NEVER);
        accepted(index.commit(List.of(file("a.txt", 0, "one")), "laptop", 1));

        FileEntry tombstone = accepted(index.commit(
                List.of(Change.deletion("a.txt", 1, EntryKind.FILE, 777)), "phone", 2)).entries().get(0);

        assertThat(tombstone).isEqualTo(
                new FileEntry("a.txt", EntryKind.FILE, true, 2, null, 0, 777, false, List.of(), "phone"));
        assertThat(index.get("a.txt")).contains(tombstone);
        assertThat(index.commit(List.of(file("a.txt", 0, "again")), "laptop", 3))
                .isEqualTo(new CommitOutcome.Stale(List.of("a.txt"), List.of(tombstone)));

        FileEntry recreated = accepted(index.commit(List.of(file("a.txt", 2, "again")), "laptop", 4))
                .entries().get(0);

        assertThat(recreated.isLiveFile()).isTrue();
        assertThat(recreated.version()).isEqualTo(3);
        assertThat(index.changesSince(0, 100).entries()).containsExactly(recreated);
    }

    @Test
    void changesSinceListsLatestEntriesInVersionOrderPageByPage() throws IOException {
        JsonFileIndex index = open(NEVER);
        index.commit(List.of(file("a", 0, "1"), file("b", 0, "1"), file("c", 0, "1")), "d", 1);
        index.commit(List.of(file("a", 1, "2")), "d", 2);                        // a moves to version 4
        index.commit(List.of(Change.deletion("b", 2, EntryKind.FILE, 9)), "d", 3); // b becomes tombstone 5

        ChangesResponse all = index.changesSince(0, 100);
        assertThat(all.entries()).extracting(FileEntry::path, FileEntry::version).containsExactly(
                tuple("c", 3L),
                tuple("a", 4L),
                tuple("b", 5L));
        assertThat(all.entries().get(2).deleted()).isTrue();
        assertThat(all.more()).isFalse();
        assertThat(all.cursor()).isEqualTo(5);

        ChangesResponse page1 = index.changesSince(0, 2);
        assertThat(paths(page1.entries())).containsExactly("c", "a");
        assertThat(page1.more()).isTrue();
        assertThat(page1.cursor()).isEqualTo(4);
        ChangesResponse page2 = index.changesSince(page1.cursor(), 2);
        assertThat(paths(page2.entries())).containsExactly("b");
        assertThat(page2.more()).isFalse();
        assertThat(page2.cursor()).isEqualTo(5);

        ChangesResponse exact = index.changesSince(3, 2);
        assertThat(paths(exact.entries())).containsExactly("a", "b");
        assertThat(exact.more()).isFalse();
        assertThat(exact.cursor()).isEqualTo(5);

        ChangesResponse upToDate = index.changesSince(5, 10);
        assertThat(upToDate.entries()).isEmpty();
        assertThat(upToDate.cursor()).isEqualTo(5);
        assertThat(index.changesSince(99, 10).cursor()).isEqualTo(5);
    }

    @Test
    void reopeningReplaysTheJournal() throws IOException {
        JsonFileIndex index = open(NEVER);
        index.commit(List.of(file("a", 0, "1"), Change.directory("d", 0, 3)), "laptop", 1);
        index.commit(List.of(Change.deletion("a", 1, EntryKind.FILE, 4)), "phone", 2);
        ChangesResponse before = index.changesSince(0, 100);
        index.close();

        JsonFileIndex reopened = open(NEVER);

        assertThat(reopened.changesSince(0, 100)).isEqualTo(before);
        assertThat(reopened.sequence()).isEqualTo(3);
        assertThat(accepted(reopened.commit(List.of(file("b", 0, "x")), "laptop", 3)).cursor()).isEqualTo(4);
        assertThat(Files.readAllLines(dir.resolve(JsonFileIndex.JOURNAL))).hasSize(3);
    }

    @Test
    void compactionWritesASnapshotAndEmptiesTheJournal() throws IOException {
        JsonFileIndex index = open(new JournalLimits(3, Long.MAX_VALUE));
        for (int i = 0; i < 7; i++) {
            index.commit(List.of(file("f" + i, 0, "content " + i)), "laptop", i);
        }
        index.commit(List.of(file("f0", 1, "changed")), "laptop", 8);
        ChangesResponse before = index.changesSince(0, 100);
        index.close();

        assertThat(dir.resolve(JsonFileIndex.SNAPSHOT)).exists();
        assertThat(Files.readAllLines(dir.resolve(JsonFileIndex.JOURNAL))).hasSizeLessThan(3);
        assertThat(Files.readString(dir.resolve(JsonFileIndex.SNAPSHOT))).startsWith("{\"sequence\":");

        JsonFileIndex reopened = open(NEVER);
        assertThat(reopened.changesSince(0, 100)).isEqualTo(before);
        assertThat(reopened.sequence()).isEqualTo(8);
    }

    @Test
    void compactionByteLimitAlsoTriggers() throws IOException {
        JsonFileIndex index = open(new JournalLimits(Long.MAX_VALUE, 1));
        index.commit(List.of(file("a", 0, "1")), "laptop", 1);

        assertThat(dir.resolve(JsonFileIndex.SNAPSHOT)).exists();
        assertThat(Files.size(dir.resolve(JsonFileIndex.JOURNAL))).isZero();
    }

    @Test
    void crashBetweenSnapshotAndJournalResetIsHarmless() throws IOException {
        JsonFileIndex index = open(NEVER);
        index.commit(List.of(file("a", 0, "1"), file("b", 0, "1")), "laptop", 1);
        index.commit(List.of(file("a", 1, "2")), "laptop", 2);
        ChangesResponse before = index.changesSince(0, 100);
        index.close();
        byte[] journalBeforeCompaction = Files.readAllBytes(dir.resolve(JsonFileIndex.JOURNAL));
        // Opening with a tiny limit compacts at once: new snapshot, empty journal.
        open(new JournalLimits(1, Long.MAX_VALUE)).close();
        assertThat(Files.size(dir.resolve(JsonFileIndex.JOURNAL))).isZero();

        // The crash: the snapshot was renamed into place, but the journal was never emptied.
        Files.write(dir.resolve(JsonFileIndex.JOURNAL), journalBeforeCompaction);
        JsonFileIndex recovered = open(NEVER);

        assertThat(recovered.changesSince(0, 100)).isEqualTo(before);
        assertThat(accepted(recovered.commit(List.of(file("c", 0, "1")), "laptop", 3)).cursor()).isEqualTo(4);
    }

    @Test
    void tornLastLineIsDroppedAndCutOff() throws IOException {
        JsonFileIndex index = open(NEVER);
        index.commit(List.of(file("a", 0, "1")), "laptop", 1);
        index.commit(List.of(file("b", 0, "1")), "laptop", 2);
        index.close();
        Path journal = dir.resolve(JsonFileIndex.JOURNAL);
        long goodSize = Files.size(journal);
        Files.writeString(journal, "{\"time\":3,\"entries\":[{\"path\":\"c\",\"ki", StandardOpenOption.APPEND);

        JsonFileIndex recovered = open(NEVER);

        assertThat(paths(recovered.changesSince(0, 100).entries())).containsExactly("a", "b");
        assertThat(Files.size(journal)).isEqualTo(goodSize);
        recovered.commit(List.of(file("c", 0, "1")), "laptop", 3);
        recovered.close();
        assertThat(paths(open(NEVER).changesSince(0, 100).entries())).containsExactly("a", "b", "c");
    }

    @Test
    void unreadableLastLineEvenWithLineEndIsDropped() throws IOException {
        JsonFileIndex index = open(NEVER);
        index.commit(List.of(file("a", 0, "1")), "laptop", 1);
        index.close();
        Path journal = dir.resolve(JsonFileIndex.JOURNAL);
        long goodSize = Files.size(journal);
        Files.write(journal, new byte[] {0, 0, 0, 0, '\n', 0, 0}, StandardOpenOption.APPEND);

        JsonFileIndex recovered = open(NEVER);

        assertThat(recovered.sequence()).isEqualTo(1);
        assertThat(Files.size(journal)).isEqualTo(goodSize);
    }

    @Test
    void corruptLineInTheMiddleFailsStartWithFileAndLine() throws IOException {
        Path journal = journalOfThreeCommits();
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(1, lines.get(1).substring(0, 20));
        Files.write(journal, lines);

        assertThatThrownBy(() -> open(NEVER))
                .isInstanceOf(IndexCorruptException.class)
                .hasMessageContaining(journal.toString())
                .hasMessageContaining("line 2");
    }

    @Test
    void missingVersionInTheJournalIsCorruption() throws IOException {
        Path journal = journalOfThreeCommits();
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.remove(1);
        Files.write(journal, lines);

        assertThatThrownBy(() -> open(NEVER))
                .isInstanceOf(IndexCorruptException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("version 3 follows version 1");
    }

    @Test
    void unreadableSnapshotFailsStart() throws IOException {
        Files.writeString(dir.resolve(JsonFileIndex.SNAPSHOT), "{\"sequence\":3,\"entries\":[");

        assertThatThrownBy(() -> open(NEVER))
                .isInstanceOf(IndexCorruptException.class)
                .hasMessageContaining(JsonFileIndex.SNAPSHOT);
    }

    @Test
    void concurrentCommitsGetDistinctConsecutiveVersions() throws Exception {
        JsonFileIndex index = open(NEVER);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<CommitOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String path = "p" + i;
                futures.add(pool.submit(() -> index.commit(List.of(file(path, 0, path)), "d", 0)));
            }
            for (Future<CommitOutcome> future : futures) {
                accepted(future.get());
            }
        } finally {
            pool.shutdown();
        }

        assertThat(index.changesSince(0, 100).entries()).extracting(FileEntry::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
    }

    @Test
    void listenersHearEachAcceptedCommitOnlyOnceItIsInTheJournalAndVisible() throws IOException {
        JsonFileIndex index = open(NEVER);
        List<String> heard = new ArrayList<>();
        index.addSequenceListener(sequence -> {
            try {
                heard.add(sequence + " seen=" + index.sequence() + " page=" + paths(index.changesSince(0, 10).entries())
                        + " journal=" + Files.readAllLines(dir.resolve(JsonFileIndex.JOURNAL)).size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        index.commit(List.of(file("a.txt", 0, "a"), Change.directory("d", 0, 1)), "laptop", 1);
        index.commit(List.of(file("a.txt", 0, "again")), "phone", 2);
        index.commit(List.of(), "phone", 3);
        index.commit(List.of(file("b.txt", 0, "b")), "phone", 4);

        assertThat(heard).containsExactly(
                "2 seen=2 page=[a.txt, d] journal=1",
                "3 seen=3 page=[a.txt, d, b.txt] journal=2");
    }

    @Test
    void aFailingListenerDoesNotFailTheCommitAndRemovedListenersHearNothing() throws IOException {
        JsonFileIndex index = open(NEVER);
        List<Long> heard = new ArrayList<>();
        SequenceListener recording = heard::add;
        index.addSequenceListener(sequence -> {
            throw new IllegalStateException("listener bug");
        });
        index.addSequenceListener(recording);

        accepted(index.commit(List.of(file("a.txt", 0, "a")), "laptop", 1));
        index.removeSequenceListener(recording);
        accepted(index.commit(List.of(file("b.txt", 0, "b")), "laptop", 1));

        assertThat(heard).containsExactly(1L);
        assertThat(index.sequence()).isEqualTo(2);
    }

    @Test
    void theIndexKeepsItsIdentityAcrossRestartsAndANewIndexGetsAnotherOne(@TempDir Path other) throws IOException {
        JsonFileIndex index = open(NEVER);
        String id = index.id();
        assertThat(index.changesSince(0, 10).indexId()).isEqualTo(id);
        index.close();

        assertThat(open(NEVER).id()).isEqualTo(id);
        try (JsonFileIndex fresh = JsonFileIndex.open(other)) {
            assertThat(fresh.id()).isNotEqualTo(id);
        }
    }
}
