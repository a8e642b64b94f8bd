package io.syncedfolder.client.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.plan.Action.Conflict;
import io.syncedfolder.client.plan.Action.DeleteLocal;
import io.syncedfolder.client.plan.Action.DeleteRemote;
import io.syncedfolder.client.plan.Action.Download;
import io.syncedfolder.client.plan.Action.MakeDirectory;
import io.syncedfolder.client.plan.Action.RecordBase;
import io.syncedfolder.client.plan.Action.Side;
import io.syncedfolder.client.plan.Action.Upload;
import io.syncedfolder.client.scan.FileSystemTraits;
import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.client.scan.LocalScan;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SPEC §3 table, row by row, then directories, conflicts and the ordering of a plan. */
class ReconcilerTest {
    private static final SyncContext CONTEXT =
            new SyncContext("laptop", Instant.parse("2026-11-22T03:15:00Z"), ZoneOffset.UTC);
    private static final String P = "docs/report.txt";

    /** One row of the table: the three inputs for path P and the action expected for it (null: nothing). */
    record Row(String name, LocalFile local, BaseEntry base, FileEntry remote, Class<? extends Action> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> specTable() {
        return specTable(P);
    }

    /** The rows of the table for {@code path}: the inputs and expected action of each. */
    static Stream<Row> specTable(String path) {
        return Stream.of(
                new Row("unchanged / unchanged -> nothing",
                        local(path, "v1", 1000), base(path, "v1", 5), remote(path, "v1", 5), null),
                new Row("changed / unchanged -> upload",
                        local(path, "v2", 2000), base(path, "v1", 5), remote(path, "v1", 5), Upload.class),
                new Row("new / absent -> upload",
                        local(path, "v1", 1000), null, null, Upload.class),
                new Row("unchanged / changed -> download",
                        local(path, "v1", 1000), base(path, "v1", 5), remote(path, "v2", 9), Download.class),
                new Row("absent / new -> download",
                        null, null, remote(path, "v1", 5), Download.class),
                new Row("deleted / unchanged -> commit a tombstone",
                        null, base(path, "v1", 5), remote(path, "v1", 5), DeleteRemote.class),
                new Row("unchanged / deleted -> delete locally",
                        local(path, "v1", 1000), base(path, "v1", 5), tombstone(path, 9), DeleteLocal.class),
                new Row("changed / changed, same content -> record base",
                        local(path, "v2", 2000), base(path, "v1", 5), remote(path, "v2", 9), RecordBase.class),
                new Row("new / new, same content -> record base",
                        local(path, "v2", 2000), null, remote(path, "v2", 9), RecordBase.class),
                new Row("changed / changed, different content -> conflict",
                        local(path, "mine", 2000), base(path, "v1", 5), remote(path, "theirs", 9), Conflict.class),
                new Row("new / new, different content -> conflict",
                        local(path, "mine", 2000), null, remote(path, "theirs", 9), Conflict.class),
                new Row("deleted / changed -> download (the edit wins)",
                        null, base(path, "v1", 5), remote(path, "v2", 9), Download.class),
                new Row("changed / deleted -> upload (the edit wins)",
                        local(path, "v2", 2000), base(path, "v1", 5), tombstone(path, 9), Upload.class),
                new Row("deleted / deleted -> record (forget the base)",
                        null, base(path, "v1", 5), tombstone(path, 9), RecordBase.class),
                new Row("absent / tombstone never synced -> nothing",
                        null, null, tombstone(path, 9), null),
                new Row("new / tombstone never synced -> upload",
                        local(path, "v1", 1000), null, tombstone(path, 9), Upload.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specTable")
    void eachRowOfTheSpecTableDecidesItsAction(Row row) {
        Plan plan = Reconciler.plan(scan(row.local()), bases(row.base()), remotes(row.remote()), CONTEXT);

        if (row.expected() == null) {
            assertThat(plan.actions()).isEmpty();
        } else {
            assertThat(plan.actions()).singleElement().isInstanceOf(row.expected());
            assertThat(plan.actions().get(0).path()).isEqualTo(P);
        }
    }

    @Test
    void theWholeTableAtOncePlansEachPathAsItsRowAloneWhateverTheMapsOrder() {
        long seed = 20261203L;
        System.out.println("ReconcilerTest: table at once, seed " + seed);
        Random random = new Random(seed);
        int rows = (int) specTable().count();
        TreeMap<String, LocalFile> locals = new TreeMap<>();
        TreeMap<String, BaseEntry> bases = new TreeMap<>();
        TreeMap<String, FileEntry> remotes = new TreeMap<>();
        Map<String, Class<? extends Action>> expected = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            String path = "d" + random.nextInt(30) + "/f" + i;
            Row row = specTable(path).skip(random.nextInt(rows)).findFirst().orElseThrow();
            Optional.ofNullable(row.local()).ifPresent(l -> locals.put(path, l));
            Optional.ofNullable(row.base()).ifPresent(b -> bases.put(path, b));
            Optional.ofNullable(row.remote()).ifPresent(r -> remotes.put(path, r));
            if (row.expected() != null) {
                expected.put(path, row.expected());
            }
        }

        Plan walked = Reconciler.plan(LocalScan.of(locals), bases, remotes, CONTEXT);
        Plan lookedUp = Reconciler.plan(LocalScan.of(new HashMap<>(locals)), new HashMap<>(bases),
                new HashMap<>(remotes), CONTEXT);

        assertThat(walked.actions()).hasSize(expected.size());
        walked.actions().forEach(action -> assertThat(action).as(action.path()).isInstanceOf(expected.get(action.path())));
        assertThat(walked.actions()).isEqualTo(lookedUp.actions());
    }

    @Nested
    class Details {
        @Test
        void uploadCommitsAgainstTheRemoteVersionItWasBasedOn() {
            Plan plan = Reconciler.plan(scan(local(P, "v2", 2000)), bases(base(P, "v1", 5)), remotes(remote(P, "v1", 5)), CONTEXT);

            assertThat(plan.actions()).singleElement().isEqualTo(
                    new Upload(P, local(P, "v2", 2000), 5, "changed here, unchanged on the server"));
        }

        @Test
        void newFileCommitsWithBaseVersionZero() {
            Upload upload = only(Reconciler.plan(scan(local(P, "v1", 1000)), Map.of(), Map.of(), CONTEXT), Upload.class);

            assertThat(upload.baseVersion()).isZero();
        }

        @Test
        void editAfterRemoteDeleteCommitsAgainstTheTombstone() {
            Upload upload = only(Reconciler.plan(scan(local(P, "v2", 2000)), bases(base(P, "v1", 5)),
                    remotes(tombstone(P, 9)), CONTEXT), Upload.class);

            assertThat(upload.baseVersion()).isEqualTo(9);
        }

        @Test
        void downloadReplacesTheScannedLocalFileOnly() {
            LocalFile mine = local(P, "v1", 1000);
            Download download = only(Reconciler.plan(scan(mine), bases(base(P, "v1", 5)), remotes(remote(P, "v2", 9)), CONTEXT),
                    Download.class);

            assertThat(download.replacing()).isEqualTo(mine);
            assertThat(download.remote().version()).isEqualTo(9);
        }

        @Test
        void deletionOnTheServerNamesTheFileExpectedHere() {
            LocalFile mine = local(P, "v1", 1000);
            DeleteLocal delete = only(Reconciler.plan(scan(mine), bases(base(P, "v1", 5)), remotes(tombstone(P, 9)), CONTEXT),
                    DeleteLocal.class);

            assertThat(delete.expected()).isEqualTo(mine);
        }

        @Test
        void executableBitChangeAloneIsAChange() {
            LocalFile executable = new LocalFile(P, P, EntryKind.FILE, 2, 1000, true, sha("v1"), chunks("v1"));
            Upload upload = only(Reconciler.plan(scan(executable), bases(base(P, "v1", 5)), remotes(remote(P, "v1", 5)), CONTEXT),
                    Upload.class);

            assertThat(upload.local().executable()).isTrue();
        }

        @Test
        void serverWithoutAnyEntryForASyncedPathNeverCausesALocalDelete() {
            Plan plan = Reconciler.plan(scan(local(P, "v1", 1000)), bases(base(P, "v1", 5)), Map.of(), CONTEXT);

            assertThat(only(plan, Upload.class).baseVersion()).isZero();
        }

        @Test
        void skippedPathsAreNeitherDeletedNorUploaded() {
            LocalScan scan = new LocalScan(new TreeMap<>(), Set.of(P), Set.of());

            Plan plan = Reconciler.plan(scan, bases(base(P, "v1", 5)), remotes(remote(P, "v1", 5)), CONTEXT);

            assertThat(plan.actions()).isEmpty();
        }

        @Test
        void symbolicLinksAreNeverReplacedByRemoteEntries() {
            LocalScan scan = new LocalScan(new TreeMap<>(), Set.of(), Set.of("link"));

            Plan plan = Reconciler.plan(scan, Map.of(), remotes(remote("link", "from elsewhere", 5)), CONTEXT);

            assertThat(plan.actions()).isEmpty();
        }

        @Test
        void filesInsideAFolderTheScanCouldNotReadAreNotTakenForDeleted() {
            LocalScan scan = new LocalScan(new TreeMap<>(), Set.of("d"), Set.of());

            Plan plan = Reconciler.plan(scan, bases(baseDir("d", 1), base("d/a.txt", "precious", 2)),
                    remotes(remoteDir("d", 1), remote("d/a.txt", "precious", 2)), CONTEXT);

            assertThat(plan.actions()).isEmpty();
        }

        @Test
        void folderHoldingSomethingLeftAloneIsNotDeleted() {
            LocalScan scan = new LocalScan(new TreeMap<>(Map.of("d", localDir("d"))), Set.of("d/busy.log"), Set.of());

            Plan plan = Reconciler.plan(scan, bases(baseDir("d", 1)), remotes(tombstoneDir("d", 9)), CONTEXT);

            assertThat(only(plan, Upload.class).path()).isEqualTo("d");
        }
    }

    @Nested
    class Conflicts {
        @Test
        void newerRemoteKeepsTheNameAndLocalBecomesTheCopyNamedForThisDevice() {
            Conflict conflict = only(Reconciler.plan(scan(local(P, "mine", 1000)), bases(base(P, "v1", 5)),
                    remotes(remote(P, "theirs", 9, 5000, "desktop")), CONTEXT), Conflict.class);

            assertThat(conflict.keeper()).isEqualTo(Side.REMOTE);
            assertThat(conflict.copyPath()).isEqualTo("docs/report.sync-conflict-20261122-031500-laptop.txt");
            assertThat(conflict.copyBaseVersion()).isZero();
        }

        @Test
        void newerLocalKeepsTheNameAndRemoteBecomesTheCopyNamedForItsDevice() {
            Conflict conflict = only(Reconciler.plan(scan(local(P, "mine", 9000)), bases(base(P, "v1", 5)),
                    remotes(remote(P, "theirs", 9, 5000, "desktop")), CONTEXT), Conflict.class);

            assertThat(conflict.keeper()).isEqualTo(Side.LOCAL);
            assertThat(conflict.copyPath()).isEqualTo("docs/report.sync-conflict-20261122-031500-desktop.txt");
        }

        @Test
        void copyNameAvoidsNamesAlreadyInUseAndReusesTombstonedOnes() {
            String taken = "docs/report.sync-conflict-20261122-031500-laptop.txt";
            Conflict conflict = only(Reconciler.plan(scan(local(P, "mine", 1000), local(taken, "old", 1)),
                    bases(base(P, "v1", 5), base(taken, "old", 3)),
                    remotes(remote(P, "theirs", 9, 5000, "desktop"), remote(taken, "old", 3)), CONTEXT), Conflict.class);

            assertThat(conflict.copyPath()).isEqualTo("docs/report.sync-conflict-20261122-031500-laptop-2.txt");

            String dead = "docs/report.sync-conflict-20261122-031500-laptop.txt";
            Conflict reuse = only(Reconciler.plan(scan(local(P, "mine", 1000)), bases(base(P, "v1", 5)),
                    remotes(remote(P, "theirs", 9, 5000, "desktop"), tombstone(dead, 7)), CONTEXT), Conflict.class);
            assertThat(reuse.copyPath()).isEqualTo(dead);
            assertThat(reuse.copyBaseVersion()).isEqualTo(7);
        }

        @Test
        void namesWithoutExtensionOrWithLeadingDotKeepTheirShape() {
            assertThat(ConflictNames.copyPath("Makefile", "pc", CONTEXT.now(), CONTEXT.zone(), p -> false))
                    .isEqualTo("Makefile.sync-conflict-20261122-031500-pc");
            assertThat(ConflictNames.copyPath("a/.bashrc", "pc", CONTEXT.now(), CONTEXT.zone(), p -> false))
                    .isEqualTo("a/.bashrc.sync-conflict-20261122-031500-pc");
            assertThat(ConflictNames.copyPath("x.tar.gz", "my/pc", CONTEXT.now(), CONTEXT.zone(), p -> false))
                    .isEqualTo("x.tar.sync-conflict-20261122-031500-my-pc.gz");
        }

        @Test
        void aCopyOfACopyIsNamedAfterTheOriginal() {
            String copy = "docs/report.sync-conflict-20261120-101010-desktop.txt";
            assertThat(ConflictNames.copyPath(copy, "laptop", CONTEXT.now(), CONTEXT.zone(), p -> false))
                    .isEqualTo("docs/report.sync-conflict-20261122-031500-laptop.txt");
        }

        @Test
        void aConflictCopyThatConflictsDoesNotBreedAnother() {
            String copy = "docs/report.sync-conflict-20261120-101010-desktop.txt";
            Upload upload = only(Reconciler.plan(scan(local(copy, "mine", 1000)), bases(base(copy, "v1", 5)),
                    remotes(remote(copy, "theirs", 9, 5000, "desktop")), CONTEXT), Upload.class);

            assertThat(upload.baseVersion()).isEqualTo(9);
            assertThat(upload.rule()).contains("the other stays in the server's history");
        }

        @Test
        void theOldestSyncedCopiesGoWhenAFileHasMoreThanTheLimit() {
            SyncContext keepTwo = new SyncContext("laptop", CONTEXT.now(), CONTEXT.zone(), FileSystemTraits.EXACT, 2);
            String oldest = "docs/report.sync-conflict-20261101-000000-desktop.txt";
            String edited = "docs/report.sync-conflict-20261102-000000-desktop.txt";
            String newer = "docs/report.sync-conflict-20261103-000000-desktop.txt";
            Plan plan = Reconciler.plan(
                    scan(local(P, "mine", 1000), local(oldest, "a", 1), local(edited, "b-edited", 1), local(newer, "c", 1)),
                    bases(base(P, "v1", 5), base(oldest, "a", 2), base(edited, "b", 3), base(newer, "c", 4)),
                    remotes(remote(P, "theirs", 9, 5000, "desktop"), remote(oldest, "a", 2), remote(edited, "b", 3),
                            remote(newer, "c", 4)), keepTwo);

            // A new copy makes four: two must go, but the edited one is not settled, so the next oldest goes instead.
            Map<String, Action> actions = byPath(plan);
            assertThat(actions.get(P)).isInstanceOf(Conflict.class);
            assertThat(actions.get(oldest)).isInstanceOf(Action.RemoveCopy.class);
            assertThat(((Action.RemoveCopy) actions.get(oldest)).baseVersion()).isEqualTo(2);
            assertThat(actions.get(edited)).isInstanceOf(Upload.class);
            assertThat(actions.get(newer)).isInstanceOf(Action.RemoveCopy.class);
        }

        @Test
        void copiesWithinTheLimitStay() {
            String copy = "docs/report.sync-conflict-20261101-000000-desktop.txt";
            Plan plan = Reconciler.plan(scan(local(P, "mine", 1000), local(copy, "a", 1)),
                    bases(base(P, "v1", 5), base(copy, "a", 2)),
                    remotes(remote(P, "theirs", 9, 5000, "desktop"), remote(copy, "a", 2)), CONTEXT);
            assertThat(byPath(plan)).containsOnlyKeys(P);
        }

        @Test
        void sameContentWithDifferentExecutableBitIsNotAConflict() {
            LocalFile executable = new LocalFile(P, P, EntryKind.FILE, 2, 1000, true, sha("v2"), chunks("v2"));

            Upload upload = only(Reconciler.plan(scan(executable), bases(base(P, "v1", 5)), remotes(remote(P, "v2", 9)), CONTEXT),
                    Upload.class);

            assertThat(upload.baseVersion()).isEqualTo(9);
        }

        @Test
        void fileAgainstFolderLetsTheFolderKeepTheName() {
            Conflict localFile = only(Reconciler.plan(scan(local("x", "data", 9000)), Map.of(), remotes(remoteDir("x", 4)), CONTEXT),
                    Conflict.class);
            assertThat(localFile.keeper()).isEqualTo(Side.REMOTE);

            Conflict localDir = only(Reconciler.plan(scan(localDir("x")), Map.of(), remotes(remote("x", "data", 4)), CONTEXT),
                    Conflict.class);
            assertThat(localDir.keeper()).isEqualTo(Side.LOCAL);
        }
    }

    @Nested
    class StaleCommits {
        @Test
        void afterA409TheNewerRemoteEntryTurnsTheUploadIntoAConflict() {
            LocalFile mine = local(P, "mine", 1000);
            Plan first = Reconciler.plan(scan(mine), bases(base(P, "v1", 5)), remotes(remote(P, "v1", 5)), CONTEXT);
            assertThat(only(first, Upload.class).baseVersion()).isEqualTo(5);

            // The server answered 409 with its current entry: another device committed version 9 meanwhile.
            Plan again = Reconciler.plan(scan(mine), bases(base(P, "v1", 5)),
                    remotes(remote(P, "theirs", 9, 5000, "desktop")), CONTEXT);

            assertThat(only(again, Conflict.class).keeper()).isEqualTo(Side.REMOTE);
        }

        @Test
        void afterA409ForTheSameContentNothingIsTransferred() {
            LocalFile mine = local(P, "same", 1000);
            Plan again = Reconciler.plan(scan(mine), bases(base(P, "v1", 5)), remotes(remote(P, "same", 9)), CONTEXT);

            assertThat(only(again, RecordBase.class).remote().version()).isEqualTo(9);
        }
    }

    @Nested
    class Directories {
        @Test
        void newLocalDirectoryIsUploadedAndNewRemoteDirectoryIsCreated() {
            assertThat(only(Reconciler.plan(scan(localDir("empty")), Map.of(), Map.of(), CONTEXT), Upload.class).local().kind())
                    .isEqualTo(EntryKind.DIRECTORY);
            assertThat(only(Reconciler.plan(scan(), Map.of(), remotes(remoteDir("empty", 3)), CONTEXT), MakeDirectory.class).path())
                    .isEqualTo("empty");
        }

        @Test
        void directoryCreatedOnBothSidesIsJustRecorded() {
            assertThat(only(Reconciler.plan(scan(localDir("d")), Map.of(), remotes(remoteDir("d", 3)), CONTEXT), RecordBase.class)
                    .local()).isNotNull();
        }

        @Test
        void remoteDeletionOfATreeDeletesFilesBeforeFoldersDeepestFirst() {
            Plan plan = Reconciler.plan(
                    scan(localDir("a"), localDir("a/b"), local("a/b/f.txt", "1", 1), local("a/g.txt", "2", 1)),
                    bases(baseDir("a", 1), baseDir("a/b", 2), base("a/b/f.txt", "1", 3), base("a/g.txt", "2", 4)),
                    remotes(tombstoneDir("a", 10), tombstoneDir("a/b", 11), tombstone("a/b/f.txt", 12), tombstone("a/g.txt", 13)),
                    CONTEXT);

            assertThat(plan.actions()).allMatch(a -> a instanceof DeleteLocal);
            assertThat(plan.actions()).extracting(Action::path).containsExactly("a/b/f.txt", "a/g.txt", "a/b", "a");
        }

        @Test
        void remotelyDeletedFolderIsKeptAndUploadedAgainWhenAFileInsideChangedHere() {
            Plan plan = Reconciler.plan(
                    scan(localDir("a"), local("a/f.txt", "edited", 50)),
                    bases(baseDir("a", 1), base("a/f.txt", "1", 2)),
                    remotes(tombstoneDir("a", 10), tombstone("a/f.txt", 11)),
                    CONTEXT);

            assertThat(byPath(plan)).containsOnlyKeys("a", "a/f.txt");
            assertThat(byPath(plan).get("a")).isInstanceOf(Upload.class);
            assertThat(((Upload) byPath(plan).get("a")).baseVersion()).isEqualTo(10);
            assertThat(byPath(plan).get("a/f.txt")).isInstanceOf(Upload.class);
        }

        @Test
        void locallyDeletedFolderIsCreatedAgainWhenTheServerChangedAFileInside() {
            Plan plan = Reconciler.plan(
                    scan(),
                    bases(baseDir("a", 1), base("a/f.txt", "1", 2)),
                    remotes(remoteDir("a", 1), remote("a/f.txt", "changed", 12)),
                    CONTEXT);

            assertThat(byPath(plan).get("a")).isInstanceOf(MakeDirectory.class);
            assertThat(byPath(plan).get("a/f.txt")).isInstanceOf(Download.class);
            assertThat(plan.actions()).extracting(Action::path).containsExactly("a", "a/f.txt");
        }

        @Test
        void localDeletionOfATreeCommitsTombstonesForAll() {
            Plan plan = Reconciler.plan(scan(),
                    bases(baseDir("a", 1), base("a/f.txt", "1", 2)),
                    remotes(remoteDir("a", 1), remote("a/f.txt", "1", 2)), CONTEXT);

            assertThat(plan.actions()).allMatch(a -> a instanceof DeleteRemote);
            assertThat(plan.actions()).extracting(Action::path).containsExactlyInAnyOrder("a", "a/f.txt");
        }

        @Test
        void unchangedFileReplacedByAFolderOnTheServerIsReplacedHere() {
            MakeDirectory make = only(Reconciler.plan(scan(local("x", "1", 1)), bases(base("x", "1", 2)),
                    remotes(remoteDir("x", 8)), CONTEXT), MakeDirectory.class);

            assertThat(make.replacing()).isNotNull();
        }

        @Test
        void plansCreateFoldersShallowestFirstBeforeDownloadsIntoThem() {
            Plan plan = Reconciler.plan(scan(), Map.of(),
                    remotes(remote("a/b/f.txt", "1", 3), remoteDir("a/b", 2), remoteDir("a", 1)), CONTEXT);

            assertThat(plan.actions()).extracting(Action::path).containsExactly("a", "a/b", "a/b/f.txt");
        }
    }

    /** What a case-insensitive disk (or one with Windows' name rules) gets, where two remote names are one here. */
    @Nested
    class NarrowFileSystems {
        private final SyncContext caseInsensitive = new SyncContext("laptop", CONTEXT.now(), CONTEXT.zone(),
                new FileSystemTraits(true, false), SyncContext.DEFAULT_MAX_CONFLICT_COPIES);
        private final SyncContext windows = new SyncContext("laptop", CONTEXT.now(), CONTEXT.zone(),
                new FileSystemTraits(true, true), SyncContext.DEFAULT_MAX_CONFLICT_COPIES);

        @Test
        void aNameThatDiffersOnlyInCaseIsDownloadedAsAConflictCopy() {
            Plan plan = Reconciler.plan(scan(local("Readme.txt", "mine", 1000)), bases(base("Readme.txt", "mine", 3)),
                    remotes(remote("Readme.txt", "mine", 3), remote("README.txt", "theirs", 8)), caseInsensitive);

            Download copy = only(plan, Download.class);
            assertThat(copy.path()).isEqualTo("README.sync-conflict-20261122-031500-desktop.txt");
            assertThat(copy.remote().path()).isEqualTo("README.txt");
            assertThat(copy.replacing()).isNull();
            assertThat(plan.notices()).singleElement().asString()
                    .isEqualTo("README.txt and Readme.txt differ only in case, which this file system cannot hold apart: "
                            + "README.txt is saved here as README.sync-conflict-20261122-031500-desktop.txt");
        }

        @Test
        void theSameNamesAreBothKeptOnAnExactFileSystem() {
            Plan plan = Reconciler.plan(scan(), bases(), remotes(remote("Readme.txt", "a", 3), remote("README.txt", "b", 8)),
                    CONTEXT);
            assertThat(byPath(plan)).containsOnlyKeys("Readme.txt", "README.txt");
            assertThat(plan.notices()).isEmpty();
        }

        @Test
        void onlyOneCopyIsMadeWhetherItIsHereOrAlreadyOnTheServer() {
            String copy = "README.sync-conflict-20261120-101010-desktop.txt";
            FileEntry shadowed = remote("README.txt", "theirs", 8);
            Plan copiedHere = Reconciler.plan(scan(local("Readme.txt", "mine", 1000), local(copy, "theirs", 1000)),
                    bases(base("Readme.txt", "mine", 3)), remotes(remote("Readme.txt", "mine", 3), shadowed), caseInsensitive);
            assertThat(byPath(copiedHere)).containsOnlyKeys(copy); // the new copy is uploaded, nothing else

            Plan copiedElsewhere = Reconciler.plan(scan(local("Readme.txt", "mine", 1000)), bases(base("Readme.txt", "mine", 3)),
                    remotes(remote("Readme.txt", "mine", 3), shadowed, remote(copy, "theirs", 9)), caseInsensitive);
            assertThat(byPath(copiedElsewhere)).containsOnlyKeys(copy); // downloaded under the copy's own name
        }

        @Test
        void sameContentUnderBothNamesNeedsNoCopy() {
            Plan plan = Reconciler.plan(scan(local("Readme.txt", "same", 1000)), bases(base("Readme.txt", "same", 3)),
                    remotes(remote("Readme.txt", "same", 3), remote("README.txt", "same", 8)), caseInsensitive);
            assertThat(plan.actions()).isEmpty();
            assertThat(plan.notices()).singleElement().asString().endsWith("README.txt is skipped here (its content is here already)");
        }

        @Test
        void aFolderThatDiffersOnlyInCaseIsSkippedWithEverythingInIt() {
            Plan plan = Reconciler.plan(scan(localDir("docs"), local("docs/a.txt", "a", 1000)),
                    bases(baseDir("docs", 2), base("docs/a.txt", "a", 3)),
                    remotes(remoteDir("docs", 2), remote("docs/a.txt", "a", 3), remoteDir("Docs", 7),
                            remote("Docs/b.txt", "b", 8)), caseInsensitive);
            assertThat(plan.actions()).isEmpty();
            assertThat(plan.notices()).singleElement().asString().endsWith("Docs and everything in it are skipped here");
        }

        @Test
        void aCaseOnlyRenameHereIsAnOrdinaryRename() {
            Plan plan = Reconciler.plan(scan(local("README.txt", "text", 2000)), bases(base("Readme.txt", "text", 3)),
                    remotes(remote("Readme.txt", "text", 3)), caseInsensitive);
            assertThat(byPath(plan)).containsOnlyKeys("README.txt", "Readme.txt");
            assertThat(byPath(plan).get("README.txt")).isInstanceOf(Upload.class);
            assertThat(byPath(plan).get("Readme.txt")).isInstanceOf(DeleteRemote.class);
        }

        @Test
        void namesWindowsRefusesAreSkippedWithANoticeAndTheRestSyncs() {
            Plan plan = Reconciler.plan(scan(), bases(),
                    remotes(remote("CON", "x", 1), remote("a:b.txt", "x", 2), remoteDir("dots.", 3),
                            remote("dots./inside.txt", "x", 4), remote("space ", "x", 5), remote("ok.txt", "x", 6)),
                    windows);
            assertThat(byPath(plan)).containsOnlyKeys("ok.txt");
            assertThat(plan.notices()).containsExactly(
                    "cannot create CON on this file system: 'CON' is a device name Windows reserves; it is skipped here",
                    "cannot create a:b.txt on this file system: 'a:b.txt' holds :, which Windows does not allow in names; "
                            + "it is skipped here",
                    "cannot create dots. on this file system: 'dots.' ends with a dot or a space, which Windows does not "
                            + "allow; it is skipped here",
                    "cannot create space  on this file system: 'space ' ends with a dot or a space, which Windows does "
                            + "not allow; it is skipped here");
        }
    }

    // ---- fixtures -------------------------------------------------------------------------------------

    static String sha(String content) {
        return Hashing.sha256Hex(content.getBytes(StandardCharsets.UTF_8));
    }

    static List<ChunkRef> chunks(String content) {
        return content.isEmpty() ? List.of() : List.of(new ChunkRef(sha(content), content.length()));
    }

    static LocalFile local(String path, String content, long mtime) {
        return new LocalFile(path, path, EntryKind.FILE, content.length(), mtime, false, sha(content), chunks(content));
    }

    static LocalFile localDir(String path) {
        return LocalFile.directory(path, path, 1);
    }

    static BaseEntry base(String path, String content, long version) {
        return new BaseEntry(path, EntryKind.FILE, version, sha(content), content.length(), 1000, false, chunks(content), 0);
    }

    static BaseEntry baseDir(String path, long version) {
        return new BaseEntry(path, EntryKind.DIRECTORY, version, null, 0, 1, false, List.of(), 0);
    }

    static FileEntry remote(String path, String content, long version) {
        return remote(path, content, version, 1000, "desktop");
    }

    static FileEntry remote(String path, String content, long version, long mtime, String device) {
        return new FileEntry(path, EntryKind.FILE, false, version, sha(content), content.length(), mtime, false,
                chunks(content), device);
    }

    static FileEntry remoteDir(String path, long version) {
        return new FileEntry(path, EntryKind.DIRECTORY, false, version, null, 0, 1, false, List.of(), "desktop");
    }

    static FileEntry tombstone(String path, long version) {
        return new FileEntry(path, EntryKind.FILE, true, version, null, 0, 1, false, List.of(), "desktop");
    }

    static FileEntry tombstoneDir(String path, long version) {
        return new FileEntry(path, EntryKind.DIRECTORY, true, version, null, 0, 1, false, List.of(), "desktop");
    }

    static LocalScan scan(LocalFile... files) {
        return LocalScan.of(Arrays.stream(files).filter(f -> f != null)
                .collect(Collectors.toMap(LocalFile::path, Function.identity())));
    }

    static Map<String, BaseEntry> bases(BaseEntry... entries) {
        return Arrays.stream(entries).filter(e -> e != null).collect(Collectors.toMap(BaseEntry::path, Function.identity()));
    }

    static Map<String, FileEntry> remotes(FileEntry... entries) {
        return Arrays.stream(entries).filter(e -> e != null).collect(Collectors.toMap(FileEntry::path, Function.identity()));
    }

    static Map<String, Action> byPath(Plan plan) {
        return plan.actions().stream().collect(Collectors.toMap(Action::path, Function.identity()));
    }

    static <T extends Action> T only(Plan plan, Class<T> type) {
        assertThat(plan.actions()).singleElement().isInstanceOf(type);
        return type.cast(plan.actions().get(0));
    }
}
