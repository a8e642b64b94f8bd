package io.syncedfolder.client.exec;

import io.syncedfolder.client.Sizes;
import io.syncedfolder.client.plan.Action;
import io.syncedfolder.client.plan.Action.Conflict;
import io.syncedfolder.client.plan.Action.DeleteLocal;
import io.syncedfolder.client.plan.Action.DeleteRemote;
import io.syncedfolder.client.plan.Action.Download;
import io.syncedfolder.client.plan.Action.MakeDirectory;
import io.syncedfolder.client.plan.Action.RecordBase;
import io.syncedfolder.client.plan.Action.RemoveCopy;
import io.syncedfolder.client.plan.Action.Upload;
import io.syncedfolder.client.plan.Plan;
import io.syncedfolder.client.remote.CommitResult;
import io.syncedfolder.client.remote.FileRange;
import io.syncedfolder.client.remote.LocalReadException;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.remote.ServerException;
import io.syncedfolder.client.remote.ServerUnavailableException;
import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.client.scan.IgnoreRules;
import io.syncedfolder.client.scan.LocalScan;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.client.state.ClientState;
import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.BatchFsync;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitResponse;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link Plan}: the only code that changes the user's folder.
 *
 * <p>Before it overwrites, moves or deletes anything it checks the file still has the size and mtime the
 * scan saw; if not, the action is skipped and the next pass decides again, so a local edit is never lost.
 * Downloads go to a temporary file in {@code .sync/tmp}, are checked against their SHA-256, get the
 * remote mtime and executable bit, and are renamed into place. Uploads send only the blobs the server
 * lacks, then commit all changes in batches; a stale commit (409) applies nothing and is reported so the
 * loop reconciles again. Each success updates the base in {@link ClientState}.
 */
public final class Executor {
    /**
     * Changes in one commit: each commit costs the server a journal flush and the client a round trip, and W1's
     * 10,100 changes were committed in 1.05-1.12 s in batches of 1,000 against 0.59-0.79 s in batches of 5,000 (3
     * alternating pairs). Half the server's limit ({@code Limits.MAX_CHANGES_PER_COMMIT}).
     */
    static final int COMMIT_BATCH = 5_000;
    /**
     * Chunk references in one commit, so that one of large files stays a few megabytes of JSON (about 100 bytes a
     * reference), far below the server's limit on a request body (64 MiB).
     */
    static final int COMMIT_CHUNKS = 100_000;
    private static final int MISSING_BATCH = 10_000;
    /** Bytes of chunks sent in one packed upload; a larger chunk travels alone. */
    static final long PACK_BYTES = 8L * 1024 * 1024;
    private static final int PACK_CHUNKS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    /** A change waiting to be committed, with the local file it describes (null when nothing is uploaded). */
    private record Pending(Change change, LocalFile local, String logLine) {
        /**
         * Identity, not the record's value: each change is pending once, and hashing its chunk list (a thousand
         * chunks for 1 GiB) at every lookup made sending a large file's chunks quadratic (0.1 s for 1 GiB).
         */
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final Folder folder;
    private final Path tempDir;
    private final ServerClient server;
    private final String device;
    private final ClientState state;
    private final LongSupplier clock;
    private final FileAssembler assembler;
    private final ChunkPrefetcher prefetcher;
    private final DeltaUploads deltaUploads;
    private final DiskHook hook;
    private LocalChunks localChunks = new LocalChunks();
    /** Folders that got new names this pass; flushed together before the pass records what it did. */
    private final Set<Path> renamedInto = new HashSet<>();

    private int uploaded;
    private int downloaded;
    private int deletedHere;
    private int deletedOnServer;
    private int conflicts;
    private int stale;
    private int skipped;
    private final List<String> problems = new ArrayList<>();
    /** The problems of the previous execution: a problem that persists is logged once, not at every pass. */
    private Set<String> reportedBefore = Set.of();
    private final Map<String, ExecutionReport.Outcome> outcomes = new HashMap<>();
    private Map<String, LocalFile> scanned = Map.of();

    public Executor(Path root, Path tempDir, ServerClient server, String device, ClientState state, LongSupplier clock) {
        this(root, tempDir, server, device, state, clock, DiskHook.NONE);
    }

    /** Creates an executor that tells {@code hook} about each disk step before it takes it (a test seam). */
    public Executor(Path root, Path tempDir, ServerClient server, String device, ClientState state, LongSupplier clock,
            DiskHook hook) {
        this.folder = new Folder(root);
        this.tempDir = tempDir;
        this.server = server;
        this.device = device;
        this.state = state;
        this.clock = clock;
        this.hook = hook;
        this.assembler = new FileAssembler(tempDir, server, hook);
        this.prefetcher = new ChunkPrefetcher(tempDir, server, hook);
        this.deltaUploads = new DeltaUploads(server);
    }

    /**
     * Executes the plan; {@code scannedAt} is when the scan that fed it started.
     *
     * @throws ServerUnavailableException if the server cannot be reached (the pass should stop)
     * @throws ServerException            if the server refuses this client (e.g. a bad token)
     */
    public ExecutionReport execute(Plan plan, LocalScan scan, long scannedAt) throws IOException {
        resetCounters();
        this.scanned = scan.files();
        Files.createDirectories(tempDir);
        List<FileEntry> downloads = downloadsOf(plan);
        try {
            localChunks = knownChunks(downloads);
            long started = System.nanoTime();
            prefetcher.prefetch(downloads, localChunks);
            if (!downloads.isEmpty()) {
                LOG.debug("fetched ahead the small files among {} download(s) in {} ms", downloads.size(), millisSince(started));
            }
            applyAll(plan, scannedAt);
        } finally {
            localChunks = new LocalChunks();
            reportedBefore = new HashSet<>(problems);
            try {
                BatchFsync.directoriesStillThere(renamedInto);
            } finally {
                renamedInto.clear();
                clearTransferLeftovers(downloads);
            }
        }
        return new ExecutionReport(uploaded, downloaded, deletedHere, deletedOnServer, conflicts, stale, skipped, problems, outcomes);
    }

    private void applyAll(Plan plan, long scannedAt) throws IOException {
        List<Pending> pending = new ArrayList<>();
        for (Action action : plan.actions()) {
            try {
                apply(action, scannedAt, pending);
                outcomes.putIfAbsent(action.path(), ExecutionReport.Outcome.done()); // commits overwrite it
            } catch (LocalChangedException e) {
                skipped++;
                outcomes.put(action.path(), ExecutionReport.Outcome.left(e.getMessage()));
                LOG.info("left {} for the next pass: {}", action.path(), e.getMessage());
            } catch (ServerUnavailableException e) {
                throw e;
            } catch (ServerException e) {
                if (e.status() == 401) {
                    throw e;
                }
                problem(action.path(), e.getMessage());
                outcomes.put(action.path(), ExecutionReport.Outcome.failed(e.getMessage()));
            } catch (IOException e) {
                problem(action.path(), describe(e));
                outcomes.put(action.path(), ExecutionReport.Outcome.failed(describe(e)));
            } catch (RuntimeException e) {
                problem(action.path(), e.getMessage() == null ? e.toString() : e.getMessage());
                outcomes.put(action.path(), ExecutionReport.Outcome.failed(e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        commitAll(pending, scannedAt);
    }

    /** Returns the remote files the plan downloads, conflict copies included. */
    private static List<FileEntry> downloadsOf(Plan plan) {
        List<FileEntry> downloads = new ArrayList<>();
        for (Action action : plan.actions()) {
            if (action instanceof Download download) {
                downloads.add(download.remote());
            } else if (action instanceof Conflict conflict && conflict.remote().kind() == EntryKind.FILE) {
                downloads.add(conflict.remote());
            }
        }
        return downloads;
    }

    /** Returns where the chunks of the scanned files lie, when something is to be downloaded that may reuse them. */
    private LocalChunks knownChunks(List<FileEntry> downloads) {
        LocalChunks known = new LocalChunks();
        if (!downloads.isEmpty()) {
            for (LocalFile file : scanned.values()) {
                if (!file.isDirectory()) {
                    known.addFile(folder.root().resolve(file.diskPath()), file.chunks());
                }
            }
        }
        return known;
    }

    /**
     * Deletes what an interrupted run left in the temporary folder (staged chunks, stray files) but keeps the
     * part files of downloads: the next pass resumes them, or deletes those it no longer wants.
     */
    public void clearInterruptedTransfers() throws IOException {
        clearTransferLeftovers(part -> true);
    }

    /**
     * Deletes the chunks staged for this pass and the part files of downloads it no longer wants; the part
     * files of this pass's unfinished downloads stay, so the next pass resumes them.
     */
    private void clearTransferLeftovers(List<FileEntry> downloads) throws IOException {
        Set<Path> wanted = new HashSet<>();
        for (FileEntry remote : downloads) {
            wanted.add(assembler.partFor(remote));
        }
        clearTransferLeftovers(wanted::contains);
    }

    private void clearTransferLeftovers(Predicate<Path> keepPart) throws IOException {
        if (!Files.isDirectory(tempDir)) {
            return;
        }
        try (Stream<Path> leftovers = Files.list(tempDir)) {
            for (Path leftover : (Iterable<Path>) leftovers::iterator) {
                if (Files.isDirectory(leftover, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> inside = Files.list(leftover)) {
                        for (Path file : (Iterable<Path>) inside::iterator) {
                            Files.deleteIfExists(file);
                        }
                    }
                    Files.delete(leftover);
                } else if (!leftover.getFileName().toString().endsWith(FileAssembler.PART_SUFFIX)
                        || !keepPart.test(leftover)) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
    }

    private void apply(Action action, long scannedAt, List<Pending> pending) throws IOException, LocalChangedException {
        if (action instanceof Conflict conflict) {
            resolveConflict(conflict, pending);
        } else if (action instanceof MakeDirectory make) {
            makeDirectory(make);
        } else if (action instanceof Download download) {
            download(download.path(), download.remote(), download.replacing(), localVersionOf(download.remote().path()));
            LOG.info("downloaded {} ({})", download.path(), Sizes.human(download.remote().size()));
            downloaded++;
        } else if (action instanceof Upload upload) {
            pending.add(upload(upload.path(), upload.local(), upload.baseVersion()));
        } else if (action instanceof DeleteRemote delete) {
            Change change = Change.deletion(delete.path(), delete.baseVersion(), delete.kind(), clock.getAsLong());
            pending.add(new Pending(change, null, "deleted " + delete.path() + " on the server (it was deleted here)"));
        } else if (action instanceof RecordBase record) {
            if (record.local() == null) {
                state.forgetBase(record.path());
            } else {
                state.recordBase(BaseEntry.of(record.remote(), record.local(), scannedAt));
            }
        } else if (action instanceof DeleteLocal delete) {
            deleteLocal(delete);
        } else if (action instanceof RemoveCopy remove) {
            pending.add(removeCopy(remove));
        } else {
            throw new AssertionError(action);
        }
    }

    private Pending upload(String path, LocalFile local, long baseVersion) {
        if (local.isDirectory()) {
            return new Pending(Change.directory(path, baseVersion, local.mtime()), local, "uploaded folder " + path);
        }
        Change change = Change.file(path, baseVersion, local.sha256(), local.size(), local.mtime(),
                local.executable(), local.chunks());
        return new Pending(change, local, "uploaded " + path + " (" + Sizes.human(local.size()) + ")");
    }

    private void resolveConflict(Conflict conflict, List<Pending> pending) throws IOException, LocalChangedException {
        LocalFile local = conflict.local();
        FileEntry remote = conflict.remote();
        String otherDevice = remote.device() == null ? "another device" : remote.device();
        if (conflict.keeper() == Action.Side.REMOTE) {
            requireUnchanged(local.diskPath(), local);
            String copyDiskPath = diskPathFor(conflict.copyPath());
            Path copy = folder.resolve(copyDiskPath);
            if (Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
                throw new LocalChangedException(conflict.copyPath() + " appeared");
            }
            hook.before(DiskHook.Step.MOVE_ASIDE, copy);
            Path original = folder.resolve(local.diskPath());
            Files.move(original, copy);
            localChunks.moved(original, copy); // its chunks still serve the download of the other version
            renamedInto.add(copy.getParent());
            LOG.info("conflict: {} changed here and on {}; the newer version from {} keeps the name, this device's is kept as {}",
                    conflict.path(), otherDevice, otherDevice, conflict.copyPath());
            conflicts++;
            LocalFile moved = new LocalFile(conflict.copyPath(), copyDiskPath, local.kind(), local.size(),
                    local.mtime(), local.executable(), local.sha256(), local.chunks());
            pending.add(upload(conflict.copyPath(), moved, conflict.copyBaseVersion()));
            if (remote.kind() == EntryKind.DIRECTORY) {
                createDirectory(conflict.path(), remote);
            } else {
                download(conflict.path(), remote, null, layoutOf(local, copy)); // this version now lies at the copy
            }
            return;
        }
        // This device's version is newer (or is a folder): keep it, save the other version beside it.
        LocalFile copy = download(conflict.copyPath(), remote, null, localVersionOf(conflict.path()));
        LOG.info("conflict: {} changed here and on {}; this device's newer version keeps the name, the other is kept as {}",
                conflict.path(), otherDevice, conflict.copyPath());
        conflicts++;
        Change copyChange = Change.file(conflict.copyPath(), conflict.copyBaseVersion(), remote.sha256(), remote.size(),
                remote.mtime(), remote.executable(), remote.chunks());
        pending.add(new Pending(copyChange, copy, "uploaded " + conflict.copyPath() + " (" + Sizes.human(remote.size()) + ")"));
        pending.add(upload(conflict.path(), local, remote.version()));
    }

    private void makeDirectory(MakeDirectory make) throws IOException, LocalChangedException {
        if (make.replacing() != null) {
            requireUnchanged(make.replacing().diskPath(), make.replacing());
            hook.before(DiskHook.Step.DELETE, folder.resolve(make.replacing().diskPath()));
            Files.delete(folder.resolve(make.replacing().diskPath()));
            LOG.info("deleted {} (a folder replaced it on the server)", make.path());
        }
        createDirectory(make.path(), make.remote());
    }

    private void createDirectory(String path, FileEntry remote) throws IOException {
        Path target = folder.resolveCreatingParents(diskPathFor(path));
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            hook.before(DiskHook.Step.MAKE_DIRECTORY, target);
            Files.createDirectory(target);
            LOG.info("created folder {}", path);
        }
        long mtime = Files.getLastModifiedTime(target, LinkOption.NOFOLLOW_LINKS).toMillis();
        state.recordBase(new BaseEntry(path, EntryKind.DIRECTORY, remote.version(), null, 0, mtime, false, List.of(),
                clock.getAsLong()));
    }

    /**
     * Returns the name on disk for a synced path: as scanned if it exists, else under its parent's name on
     * disk, so a file downloaded into a folder named in another Unicode form lands in that folder.
     */
    private String diskPathFor(String path) {
        LocalFile known = scanned.get(path);
        if (known != null) {
            return known.diskPath();
        }
        String parent = PathRules.parent(path);
        return parent.isEmpty() ? path : diskPathFor(parent) + "/" + PathRules.name(path);
    }

    /**
     * Fetches {@code remote} into {@code path}, replacing {@code replacing} (null: nothing may be there), with
     * {@code previous} the chunks of a local version of it that deltas may start from.
     */
    private LocalFile download(String path, FileEntry remote, LocalFile replacing, List<FileRange> previous)
            throws IOException, LocalChangedException {
        String diskPath = replacing == null ? diskPathFor(path) : replacing.diskPath();
        requireUnchanged(diskPath, replacing);
        Path temp = fetch(remote, previous);
        requireUnchanged(diskPath, replacing);
        Path target = folder.resolveCreatingParents(diskPath);
        if (replacing != null && replacing.isDirectory()) {
            hook.before(DiskHook.Step.DELETE, target);
            try {
                Files.delete(target); // everything inside was deleted earlier in this plan
            } catch (DirectoryNotEmptyException e) {
                throw new LocalChangedException("the folder it replaces is not empty");
            }
            LOG.info("deleted folder {} (a file replaced it on the server)", path);
        }
        hook.before(DiskHook.Step.RENAME_INTO_PLACE, target);
        AtomicFiles.rename(temp, target);
        renamedInto.add(target.getParent());
        BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        LocalFile written = new LocalFile(path, diskPath, EntryKind.FILE, attrs.size(), attrs.lastModifiedTime().toMillis(),
                remote.executable(), remote.sha256(), remote.chunks());
        if (remote.path().equals(path)) {
            state.recordBase(BaseEntry.of(remote, written, clock.getAsLong()));
        }
        return written;
    }

    /**
     * Assembles {@code remote}'s content in a file of the temporary folder ({@link FileAssembler#assemble}), with
     * the remote mtime and executable bit. A part file that filled the disk is deleted rather than kept for
     * resuming: the space is needed more.
     */
    private Path fetch(FileEntry remote, List<FileRange> previous) throws IOException {
        Path assembled;
        try {
            assembled = assembler.assemble(remote, localChunks, previous);
        } catch (IOException e) {
            if (isDiskFull(e)) {
                Files.deleteIfExists(assembler.partFor(remote));
                throw new IOException("the disk is full (" + Sizes.human(remote.size()) + " needed)", e);
            }
            throw e;
        }
        hook.before(DiskHook.Step.SET_ATTRIBUTES, assembled);
        Files.setLastModifiedTime(assembled, FileTime.fromMillis(remote.mtime()));
        setExecutable(assembled, remote.executable());
        return assembled;
    }

    /** Returns where the chunks of the scanned file at {@code path} lie, if there is one. */
    private List<FileRange> localVersionOf(String path) {
        LocalFile file = scanned.get(path);
        return file == null ? List.of() : layoutOf(file, folder.root().resolve(file.diskPath()));
    }

    /** Returns where the chunks of {@code file}, now at {@code at}, lie; none if it is too small for deltas. */
    private static List<FileRange> layoutOf(LocalFile file, Path at) {
        return file.isDirectory() || file.size() < DeltaBases.MIN_BYTES ? List.of()
                : FileRange.layout(at, file.chunks());
    }

    private void deleteLocal(DeleteLocal delete) throws IOException, LocalChangedException {
        LocalFile expected = delete.expected();
        requireUnchanged(expected.diskPath(), expected);
        Path target = folder.resolve(expected.diskPath());
        hook.before(DiskHook.Step.DELETE, target);
        if (expected.isDirectory()) {
            try {
                Files.delete(target);
            } catch (DirectoryNotEmptyException e) {
                if (!deleteIfOnlyLitter(target)) {
                    // It holds files that are not synced (ignored ones): keep it, and it will be synced again.
                    state.forgetBase(delete.path());
                    outcomes.put(delete.path(), ExecutionReport.Outcome.done()); // kept, see the log line
                    LOG.info("kept folder {} although it was deleted on another device: it holds files that are not synced",
                            delete.path());
                    return;
                }
            }
        } else {
            Files.delete(target);
        }
        state.forgetBase(delete.path());
        LOG.info("deleted {} (it was deleted on {})", delete.path(),
                delete.tombstone().device() == null ? "another device" : delete.tombstone().device());
        deletedHere++;
    }

    /** Deletes an old conflict copy here; its tombstone is committed with the other changes. */
    private Pending removeCopy(RemoveCopy remove) throws IOException, LocalChangedException {
        requireUnchanged(remove.local().diskPath(), remove.local());
        Path target = folder.resolve(remove.local().diskPath());
        hook.before(DiskHook.Step.DELETE, target);
        Files.delete(target);
        // Were the commit lost now, the next pass would see the copy deleted here and commit that instead.
        Change change = Change.deletion(remove.path(), remove.baseVersion(), EntryKind.FILE, clock.getAsLong());
        return new Pending(change, null, "removed the old conflict copy " + remove.path()
                + " (the server keeps it in its history)");
    }

    /** Deletes a folder whose remaining content is only OS litter such as {@code .DS_Store}; else keeps it. */
    private static boolean deleteIfOnlyLitter(Path dir) throws IOException {
        List<Path> inside;
        try (Stream<Path> walk = Files.walk(dir)) {
            inside = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : inside) {
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (!isDir && !IgnoreRules.isOsLitter(p.getFileName().toString())) {
                return false;
            }
        }
        for (Path p : inside) {
            Files.delete(p); // deepest first; a folder that is still not empty stops this with an exception
        }
        return true;
    }

    private void commitAll(List<Pending> pending, long scannedAt) throws IOException {
        List<Pending> ready = uploadMissingBlobs(pending);
        long started = System.nanoTime();
        List<List<Pending>> batches = Transfers.packs(ready, p -> p.change().chunks().size(), COMMIT_CHUNKS,
                COMMIT_BATCH);
        for (List<Pending> batch : batches) {
            CommitResult result;
            try {
                result = server.commit(device, batch.stream().map(Pending::change).toList());
            } catch (ServerException e) {
                if (e.status() == 401) {
                    throw e;
                }
                problem(batch.size() + " change(s) starting with " + batch.get(0).change().path(), e.getMessage());
                batch.forEach(p -> outcomes.put(p.change().path(), ExecutionReport.Outcome.failed(e.getMessage())));
                continue;
            }
            if (result instanceof CommitResult.Accepted accepted) {
                recordCommitted(batch, accepted.response(), scannedAt);
            } else if (result instanceof CommitResult.Stale staleResult) {
                stale++;
                state.applyRemote(staleResult.response().current());
                ExecutionReport.Outcome refused = ExecutionReport.Outcome.stale("another device changed "
                        + String.join(", ", staleResult.response().stalePaths().stream().limit(3).toList()) + " first");
                batch.forEach(p -> outcomes.put(p.change().path(), refused));
                LOG.info("another device changed {} first; comparing again", String.join(", ", staleResult.response().stalePaths()));
            } else if (result instanceof CommitResult.MissingBlobs missing) {
                stale++;
                LOG.info("the server still lacks {} blob(s); uploading again", missing.missing().size());
                batch.forEach(p -> outcomes.put(p.change().path(), ExecutionReport.Outcome.stale("the server still lacked some content")));
            } else {
                throw new AssertionError(result);
            }
        }
        if (!ready.isEmpty()) {
            LOG.debug("committed {} change(s) in {} ms", ready.size(), millisSince(started));
        }
    }

    static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private void recordCommitted(List<Pending> batch, CommitResponse response, long scannedAt) {
        List<FileEntry> entries = response.entries();
        state.applyRemote(entries);
        // Versions are numbered one by one: if this commit's follow the cursor directly, nobody else changed
        // anything in between, and the next pass need not read this client's own changes back from the feed.
        if (!entries.isEmpty() && entries.get(0).version() == state.cursor() + 1
                && response.cursor() == state.cursor() + entries.size()) {
            state.advanceCursor(response.cursor());
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending done = batch.get(i);
            FileEntry entry = entries.get(i);
            if (entry.deleted()) {
                state.forgetBase(entry.path());
                deletedOnServer++;
            } else {
                state.recordBase(BaseEntry.of(entry, done.local(), scannedAt));
                uploaded++;
            }
            outcomes.put(done.change().path(), ExecutionReport.Outcome.done());
            LOG.info(done.logLine());
        }
    }

    /** Uploads the chunks the server lacks; returns the pending changes whose content is now all there. */
    private List<Pending> uploadMissingBlobs(List<Pending> pending) throws IOException {
        Map<String, Pending> ownerOfChunk = new LinkedHashMap<>();
        for (Pending p : pending) {
            if (p.local() != null && !p.change().deleted() && p.change().kind() == EntryKind.FILE) {
                for (ChunkRef chunk : p.change().chunks()) {
                    ownerOfChunk.putIfAbsent(chunk.sha256(), p);
                }
            }
        }
        List<String> hashes = new ArrayList<>(ownerOfChunk.keySet());
        List<String> missing = new ArrayList<>();
        long started = System.nanoTime();
        for (int from = 0; from < hashes.size(); from += MISSING_BATCH) {
            missing.addAll(server.missingBlobs(hashes.subList(from, Math.min(hashes.size(), from + MISSING_BATCH))));
        }
        LOG.debug("the server lacks {} of {} chunk(s) (asked in {} ms)", missing.size(), hashes.size(), millisSince(started));
        Set<String> lacking = new HashSet<>(missing);
        Map<FileRange, Pending> ownerOfRange = new LinkedHashMap<>();
        List<DeltaUploads.Edit> edits = new ArrayList<>();
        Set<Pending> failed = new HashSet<>();
        for (Pending owner : new LinkedHashSet<>(ownerOfChunk.values())) {
            try {
                List<FileRange> ranges = rangesToSend(owner, lacking);
                ranges.forEach(range -> ownerOfRange.put(range, owner));
                edits.addAll(edits(owner, ranges));
            } catch (LocalChangedException e) {
                leaveForNextPass(owner, e.getMessage(), failed);
            }
        }
        Set<FileRange> sentAsDeltas = deltaUploads.send(edits);
        List<FileRange> whole = ownerOfRange.keySet().stream().filter(range -> !sentAsDeltas.contains(range)).toList();
        List<List<FileRange>> packs = Transfers.packs(whole, range -> range.chunk().size(), PACK_BYTES, PACK_CHUNKS);
        started = System.nanoTime();
        List<Transfers.Failure<List<FileRange>>> failures = Transfers.runAll(packs, this::send);
        LOG.debug("sent {} chunk(s) as deltas, {} in {} request(s) in {} ms", sentAsDeltas.size(), whole.size(),
                packs.size(), millisSince(started));
        for (Transfers.Failure<List<FileRange>> failure : failures) {
            LOG.debug("a packed upload failed ({}); sending its chunks one at a time", failure.error().getMessage());
            for (FileRange range : failure.item()) {
                sendAlone(ownerOfRange.get(range), range, failed);
            }
        }
        return pending.stream().filter(p -> !failed.contains(p)).toList();
    }

    /**
     * Returns {@code owner}'s large chunks to send, if its file looks edited since its last synced version, each
     * with the chunk of that version at its place: those may travel as deltas.
     */
    private List<DeltaUploads.Edit> edits(Pending owner, List<FileRange> ranges) {
        BaseEntry base = state.base().get(owner.change().path());
        long sending = ranges.stream().mapToLong(range -> range.chunk().size()).sum();
        if (base == null || base.isDirectory() || !DeltaBases.isEdit(sending, owner.change().size())) {
            return List.of();
        }
        List<DeltaUploads.Edit> edits = new ArrayList<>();
        for (FileRange range : ranges) {
            int index = DeltaBases.baseOf(base.chunks(), range.offset(), range.chunk().size());
            if (index >= 0) {
                edits.add(new DeltaUploads.Edit(range, base.chunks().get(index)));
            }
        }
        return edits;
    }

    /** Sends a pack of chunks, or a chunk too large for a pack on its own. */
    private void send(List<FileRange> pack) throws IOException {
        if (pack.size() == 1 && pack.get(0).chunk().size() > PACK_BYTES) {
            server.uploadBlob(pack.get(0));
        } else {
            server.uploadPack(pack);
        }
    }

    /** Sends one chunk of a pack that failed, so one changed file does not hold back the others. */
    private void sendAlone(Pending owner, FileRange range, Set<Pending> failed) throws IOException {
        if (failed.contains(owner)) {
            return;
        }
        try {
            requireUnchanged(owner.local().diskPath(), owner.local());
            server.uploadBlob(range);
        } catch (LocalChangedException e) {
            leaveForNextPass(owner, e.getMessage(), failed);
        } catch (LocalReadException e) {
            leaveForNextPass(owner, "it changed while it was uploaded", failed);
        } catch (ServerException e) {
            if (e.status() == 401) {
                throw e;
            }
            if (e.error().equals("hash mismatch")) {
                leaveForNextPass(owner, "it changed while it was uploaded", failed);
            } else {
                failed.add(owner);
                problem(owner.change().path(), e.getMessage());
                outcomes.put(owner.change().path(), ExecutionReport.Outcome.failed(e.getMessage()));
            }
        }
    }

    private void leaveForNextPass(Pending owner, String reason, Set<Pending> failed) {
        skipped++;
        failed.add(owner);
        outcomes.put(owner.change().path(), ExecutionReport.Outcome.left(reason));
        LOG.info("left {} for the next pass: {}", owner.change().path(), reason);
    }

    /**
     * Returns where the chunks of {@code owner}'s file that are in {@code lacking} lie, each once (a chunk
     * repeated in the file or owned by another file is sent by its first owner), after checking the file is
     * as scanned.
     */
    private List<FileRange> rangesToSend(Pending owner, Set<String> lacking) throws IOException, LocalChangedException {
        LocalFile local = owner.local();
        List<FileRange> ranges = new ArrayList<>();
        Path file = null;
        long offset = 0;
        for (ChunkRef chunk : owner.change().chunks()) {
            if (lacking.remove(chunk.sha256())) {
                if (file == null) {
                    file = requireUnchanged(local.diskPath(), local);
                }
                ranges.add(new FileRange(chunk, file, offset));
            }
            offset += chunk.size();
        }
        return ranges;
    }

    /**
     * Checks the file at {@code diskPath} is still what the scan saw ({@code expected} null: nothing); returns
     * where it is.
     */
    private Path requireUnchanged(String diskPath, LocalFile expected) throws IOException, LocalChangedException {
        Path path = folder.resolve(diskPath);
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            if (expected == null) {
                return path;
            }
            throw new LocalChangedException("it was deleted or moved meanwhile");
        }
        if (expected == null) {
            throw new LocalChangedException("something new appeared at " + diskPath);
        }
        if (expected.isDirectory()) {
            if (!now.isDirectory()) {
                throw new LocalChangedException("it is no longer a folder");
            }
            return path;
        }
        if (!now.isRegularFile() || now.size() != expected.size() || now.lastModifiedTime().toMillis() != expected.mtime()) {
            throw new LocalChangedException("it changed since it was scanned");
        }
        return path;
    }

    private static void setExecutable(Path file, boolean executable) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> before = view.readAttributes().permissions();
        Set<PosixFilePermission> permissions = new HashSet<>(before);
        if (executable) {
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            if (permissions.contains(PosixFilePermission.GROUP_READ)) {
                permissions.add(PosixFilePermission.GROUP_EXECUTE);
            }
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            }
        } else {
            permissions.remove(PosixFilePermission.OWNER_EXECUTE);
            permissions.remove(PosixFilePermission.GROUP_EXECUTE);
            permissions.remove(PosixFilePermission.OTHERS_EXECUTE);
        }
        if (!permissions.equals(before)) {
            view.setPermissions(permissions);
        }
    }

    private void problem(String path, String message) {
        String line = "could not sync " + path + ": " + message;
        problems.add(line);
        if (reportedBefore.contains(line)) {
            LOG.debug("still: {}", line);
        } else {
            LOG.warn(line + " (trying again later)");
        }
    }

    private static boolean isDiskFull(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No space left on device");
    }

    /** Says what went wrong in the user's terms: the reason, and the file in the folder it concerns. */
    private String describe(IOException e) {
        if (e instanceof FileSystemException failure) {
            // A rename names the part file first and the file in the folder second; the second is the one to show.
            String file = failure.getOtherFile() != null ? failure.getOtherFile() : failure.getFile();
            String where = file == null ? "" : " (" + shown(file) + ")";
            if (e instanceof NoSuchFileException) {
                return "no such file" + where;
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied" + where;
            }
            if (failure.getReason() != null) {
                return failure.getReason() + where;
            }
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private String shown(String file) {
        Path path = Path.of(file);
        return path.startsWith(folder.root()) ? folder.root().relativize(path).toString() : file;
    }

    private void resetCounters() {
        uploaded = 0;
        downloaded = 0;
        deletedHere = 0;
        deletedOnServer = 0;
        conflicts = 0;
        stale = 0;
        skipped = 0;
        problems.clear();
        outcomes.clear();
    }
}
