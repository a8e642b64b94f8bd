package io.syncedfolder.client;

import io.syncedfolder.client.exec.DiskHook;
import io.syncedfolder.client.exec.ExecutionReport;
import io.syncedfolder.client.exec.Executor;
import io.syncedfolder.client.plan.Action;
import io.syncedfolder.client.plan.Plan;
import io.syncedfolder.client.plan.Reconciler;
import io.syncedfolder.client.plan.SyncContext;
import io.syncedfolder.client.remote.ChangeFeed;
import io.syncedfolder.client.progress.PassTally;
import io.syncedfolder.client.progress.TransferProgress;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.safety.DeletionBreaker;
import io.syncedfolder.client.safety.FolderGoneException;
import io.syncedfolder.client.safety.KnownFolders;
import io.syncedfolder.client.scan.FileSystemTraits;
import io.syncedfolder.client.scan.IgnoreRules;
import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.client.scan.LocalScan;
import io.syncedfolder.client.scan.Scanner;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.client.state.ClientState;
import io.syncedfolder.client.state.LastPass;
import io.syncedfolder.client.state.StateStore;
import io.syncedfolder.client.why.DecisionLog;
import io.syncedfolder.client.why.PassRecorder;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconcile passes for one folder: fetch the server's changes, scan the folder, plan, execute, save, and
 * record what was decided and why (for {@code sync-client why}).
 * A pass repeats this (a bounded number of rounds) until a round finishes everything it planned, so a
 * stale commit (another device was faster) is simply decided again with the newer remote state.
 */
public final class SyncLoop implements AutoCloseable {
    static final int MAX_ROUNDS = 6;
    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

    private final ClientConfig config;
    private final Path root;
    private final ServerClient server;
    private final Clock clock;
    private final StateStore store;
    private final ClientState state;
    private final Scanner scanner;
    private final Executor executor;
    private final DecisionLog decisions;
    private final FileChannel lockChannel;
    private final DeletionBreaker breaker;
    private final Set<String> warnedBadPaths = new HashSet<>();
    private final Set<String> givenNotices = new HashSet<>();
    private FileSystemTraits fileSystem;
    private List<String> lastRefusals = List.of();
    private boolean massDeleteAllowed;
    private boolean remembered;
    private Runnable beforeExecute = () -> { };
    private LocalScan lastScan;
    private long lastInSyncAt;

    private SyncLoop(ClientConfig config, ServerClient server, Clock clock, FileChannel lockChannel, DiskHook hook)
            throws IOException {
        this.config = config;
        // The real path, so a folder reached through a symbolic link is synced like any other.
        this.root = config.folder().toRealPath();
        this.server = server;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.breaker = new DeletionBreaker(config.safety().maxDeletePercent());
        this.massDeleteAllowed = config.safety().allowMassDelete();
        Path stateDir = root.resolve(PathRules.STATE_DIR);
        Path tempDir = stateDir.resolve("tmp");
        this.store = new StateStore(stateDir, config.serverUrl());
        // The saved state of a large folder takes a while to read (0.5 s for 100,000 files); the rest of the
        // set-up is done meanwhile.
        CompletableFuture<ClientState> loading = CompletableFuture.supplyAsync(() -> {
            try {
                return store.load();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            this.lastInSyncAt = StateStore.loadLastPass(stateDir).map(LastPass::lastInSyncAt).orElse(0L);
            this.fileSystem = FileSystemTraits.probe(stateDir);
        } finally {
            this.state = loaded(loading);
        }
        if (fileSystem.caseInsensitive()) {
            LOG.info("{} is on a case-insensitive file system: names that differ only in case are kept apart as "
                    + "conflict copies", root);
        }
        this.scanner = new Scanner(root);
        this.executor = new Executor(root, tempDir, server, config.device(), state, clock::millis, hook);
        this.decisions = new DecisionLog(stateDir);
        executor.clearInterruptedTransfers();
    }

    private static ClientState loaded(CompletableFuture<ClientState> loading) throws IOException {
        try {
            return loading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * Opens the folder (creating it if missing) and takes its lock, so two clients never sync one folder.
     *
     * @throws FolderBusyException if another client is already syncing this folder
     * @throws FolderGoneException  if the folder or its state vanished although it was synced before
     */
    public static SyncLoop open(ClientConfig config, ServerClient server, Clock clock) throws IOException {
        return open(config, server, clock, DiskHook.NONE);
    }

    /** Test seam: opens the folder with an executor that tells {@code hook} about each disk step first. */
    static SyncLoop open(ClientConfig config, ServerClient server, Clock clock, DiskHook hook) throws IOException {
        Path stateDir = config.folder().resolve(PathRules.STATE_DIR);
        ClientConfig.Safety safety = config.safety();
        if (safety.knownFolders() != null && !safety.recreateFolder() && !Files.isDirectory(stateDir)
                && new KnownFolders(safety.knownFolders()).contains(config.folder())) {
            throw new FolderGoneException(config.folder(), !Files.exists(config.folder()));
        }
        Files.createDirectories(stateDir);
        FileChannel channel = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another loop in this same process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new FolderBusyException(config.folder());
        }
        try {
            return new SyncLoop(config, server, clock, channel, hook);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Runs one full pass. A network failure or refusal by the server is thrown; local problems are reported. */
    public PassResult runPass() throws IOException {
        return runPass(null);
    }

    /**
     * Runs a pass that rescans only {@code touched} (NFC paths, each with everything inside it) and reuses the
     * previous scan for the rest; {@code null} rescans the whole folder.
     */
    public PassResult runPass(Set<String> touched) throws IOException {
        PassTally tally = new PassTally();
        Set<String> dirty = touched == null || touched.contains(IgnoreRules.FILE_NAME) ? null : touched;
        PassRecorder recorder = new PassRecorder();
        LocalScan scan = null;
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            long started = System.nanoTime();
            requireFolderPresent();
            fetchRemoteChanges();
            IgnoreRules ignore = IgnoreRules.load(root);
            long scannedAt = clock.millis();
            long fetched = System.nanoTime();
            scan = dirty == null || lastScan == null
                    ? scanner.scan(state.base(), ignore)
                    : scanner.rescan(lastScan, dirty, state.base(), ignore);
            lastScan = scan;
            refreshHashTimes(scan, scannedAt);
            long scanned = System.nanoTime();
            SortedMap<String, BaseEntry> base = ignore.notIgnored(state.base(), BaseEntry::isDirectory);
            SortedMap<String, FileEntry> remote = ignore.notIgnored(state.remote(), e -> e.kind() == EntryKind.DIRECTORY);
            Plan plan = Reconciler.plan(scan, base, remote, new SyncContext(config.device(), clock.instant(),
                    clock.getZone(), fileSystem, config.safety().maxConflictCopies()));
            for (String notice : plan.notices()) {
                if (givenNotices.add(notice)) {
                    LOG.warn(notice);
                }
            }
            LOG.debug("round {}: server changes in {} ms, scan in {} ms, plan of {} action(s) in {} ms", round,
                    (fetched - started) / 1_000_000, (scanned - fetched) / 1_000_000, plan.actions().size(),
                    (System.nanoTime() - scanned) / 1_000_000);
            List<String> refusals = massDeleteAllowed ? List.of() : breaker.check(plan, state::baseFileCount);
            if (!refusals.equals(lastRefusals)) {
                refusals.forEach(LOG::warn); // once, not at every pass of a continuous client
            }
            lastRefusals = refusals;
            if (!refusals.isEmpty()) {
                return finish(tally, refusals, recorder, scan);
            }
            if (plan.isEmpty()) {
                return finish(tally, scan.skipped().isEmpty() ? List.of() : skippedProblem(scan), recorder, scan);
            }
            recorder.planned(plan, scan, base, remote); // before the executor changes base and remote
            beforeExecute.run();
            ExecutionReport report = execute(plan, scan, scannedAt, tally);
            recorder.executed(report);
            store.save(state);
            if (!report.problems().isEmpty()) {
                lastScan = null;
                return finish(tally, report.problems(), recorder, scan);
            }
            dirty = touchedBy(plan);
        }
        lastScan = null;
        return finish(tally, List.of("the folder kept changing during the pass; it will be compared again"), recorder,
                scan);
    }

    /** Returns the paths the latest scan left for a later pass (still being written, unreadable). */
    public Set<String> leftForLater() {
        return lastScan == null ? Set.of() : lastScan.skipped();
    }

    /** Returns the folder being synced, as a real path. */
    public Path root() {
        return root;
    }

    /** Returns the cursor this client's copy of the server index is current to; safe from any thread. */
    public long cursor() {
        return state.cursor();
    }

    /** Test seam: plans as if the folder's file system had {@code traits}, to show what another disk would get. */
    void assumeFileSystem(FileSystemTraits traits) {
        this.fileSystem = traits;
    }

    /** Test seam: runs between planning and executing, to let another client act in that window. */
    void beforeExecute(Runnable hook) {
        this.beforeExecute = hook;
    }

    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    /** A folder whose root or state vanished mid-run is most likely an unmounted drive: do not sync it empty. */
    private void requireFolderPresent() throws FolderGoneException {
        if (!Files.isDirectory(root.resolve(PathRules.STATE_DIR))) {
            throw new FolderGoneException(root, !Files.isDirectory(root));
        }
    }

    /** Executes a plan, counting the bytes it moves and showing a progress bar on a terminal for large transfers. */
    private ExecutionReport execute(Plan plan, LocalScan scan, long scannedAt, PassTally tally) throws IOException {
        try (TransferProgress progress = TransferProgress.start(plan.bytesToTransfer(), System.console() != null)) {
            server.meterChunks(progress);
            ExecutionReport report = executor.execute(plan, scan, scannedAt);
            tally.add(report, progress.bytes());
            return report;
        } finally {
            server.meterChunks(bytes -> { });
        }
    }

    private PassResult finish(PassTally tally, List<String> problems, PassRecorder recorder, LocalScan scan)
            throws IOException {
        massDeleteAllowed = false;
        if (tally.changes() > 0) {
            LOG.info(tally.summary());
        }
        boolean inSync = problems.isEmpty();
        long now = clock.millis();
        if (inSync) {
            lastInSyncAt = now;
        }
        store.save(state);
        // Stamped with the same time as last-pass.json, so `why` can tell the last pass's decisions from older ones.
        try {
            decisions.record(now, recorder.decisions(now), PassRecorder.leftAlone(scan));
        } catch (IOException e) {
            LOG.warn("could not record this pass's decisions for 'sync-client why': {}", e.getMessage());
        }
        store.saveLastPass(new LastPass(config.serverUrl(), config.device(), now, inSync, lastInSyncAt, problems));
        if (!remembered && config.safety().knownFolders() != null) {
            new KnownFolders(config.safety().knownFolders()).add(config.folder());
            remembered = true;
        }
        return new PassResult(inSync, tally.changes(), problems);
    }

    /**
     * Records that files hashed again only because their mtime was too close to their last hash ("racy") are
     * unchanged, so that they are trusted from now on instead of being hashed on every pass.
     */
    private void refreshHashTimes(LocalScan scan, long scannedAt) {
        List<BaseEntry> refreshed = new ArrayList<>();
        for (BaseEntry base : state.base().values()) {
            if (base.kind() != EntryKind.FILE || Scanner.trustsHash(base.mtime(), base.hashedAt())) {
                continue;
            }
            LocalFile local = scan.files().get(base.path());
            if (local != null && Scanner.trustsHash(local.mtime(), scannedAt) && local.mtime() == base.mtime()
                    && local.size() == base.size() && Objects.equals(local.sha256(), base.sha256())) {
                refreshed.add(new BaseEntry(base.path(), base.kind(), base.version(), base.sha256(), base.size(),
                        base.mtime(), base.executable(), base.chunks(), scannedAt));
            }
        }
        refreshed.forEach(state::recordBase);
    }

    /** Returns every path a plan may have changed on disk, to be rescanned in the next round. */
    private static Set<String> touchedBy(Plan plan) {
        Set<String> touched = new HashSet<>();
        for (Action action : plan.actions()) {
            touched.add(action.path());
            if (action instanceof Action.Conflict conflict) {
                touched.add(conflict.copyPath());
            }
        }
        return touched;
    }

    private static List<String> skippedProblem(LocalScan scan) {
        List<String> names = scan.skipped().stream().sorted().limit(5).toList();
        return List.of(scan.skipped().size() + " item(s) could not be synced yet (" + String.join(", ", names)
                + (scan.skipped().size() > names.size() ? ", …" : "") + "); see the warnings above");
    }

    private void fetchRemoteChanges() throws IOException {
        ChangeFeed.Catchup feed = ChangeFeed.since(server, state.cursor(), state.indexId());
        if (feed.indexReplaced()) {
            LOG.warn("the server lost or replaced its data since this folder last synced; comparing everything afresh"
                    + " (nothing is deleted, differing files become conflict copies)");
            state.resetRemote();
            lastScan = null;
        }
        for (String bad : feed.badPaths()) {
            if (warnedBadPaths.add(bad)) {
                LOG.warn("ignored an entry from the server with a bad path: {}", PathRules.problem(bad).orElse("?"));
            }
        }
        state.setIndexId(feed.indexId());
        state.applyRemote(feed.entries());
        state.advanceCursor(feed.cursor());
    }
}
