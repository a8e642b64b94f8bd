package io.syncedfolder.client;

import io.syncedfolder.client.exec.DiskHook;
import io.syncedfolder.client.exec.ExecutionReport;
import io.syncedfolder.client.exec.Executor;
import io.syncedfolder.client.plan.Action;
import io.syncedfolder.client.plan.Plan;
import io.syncedfolder.client.plan.Reconciler;
import io.syncedfolder.client.plan.SyncContext;
import io.syncedfolder.client.remote.ChangeFeed;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.scan.IgnoreRules;
import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.client.scan.LocalScan;
import io.syncedfolder.client.scan.Scanner;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.client.state.ClientState;
import io.syncedfolder.client.state.LastPass;
import io.syncedfolder.client.state.StateStore;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconcile passes for one folder: fetch the server's changes, scan the folder, plan, execute, save.
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
    private final FileChannel lockChannel;
    private final Set<String> warnedBadPaths = new HashSet<>();
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
        Path stateDir = root.resolve(PathRules.STATE_DIR);
        Path tempDir = stateDir.resolve("tmp");
        this.store = new StateStore(stateDir, config.serverUrl());
        this.state = store.load();
        this.lastInSyncAt = StateStore.loadLastPass(stateDir).map(LastPass::lastInSyncAt).orElse(0L);
        this.scanner = new Scanner(root);
        this.executor = new Executor(root, tempDir, server, config.device(), state, clock::millis, hook);
        executor.clearInterruptedTransfers();
    }

    /**
     * Opens the folder (creating it if missing) and takes its lock, so two clients never sync one folder.
     *
     * @throws FolderBusyException if another client is already syncing this folder
     */
    public static SyncLoop open(ClientConfig config, ServerClient server, Clock clock) throws IOException {
        return open(config, server, clock, DiskHook.NONE);
    }

    /** Test seam: opens the folder with an executor that tells {@code hook} about each disk step first. */
    static SyncLoop open(ClientConfig config, ServerClient server, Clock clock, DiskHook hook) throws IOException {
        Path stateDir = config.folder().resolve(PathRules.STATE_DIR);
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
        int changes = 0;
        Set<String> dirty = touched == null || touched.contains(IgnoreRules.FILE_NAME) ? null : touched;
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            long started = System.nanoTime();
            fetchRemoteChanges();
            IgnoreRules ignore = IgnoreRules.load(root);
            long scannedAt = clock.millis();
            long fetched = System.nanoTime();
            LocalScan scan = dirty == null || lastScan == null
                    ? scanner.scan(state.base(), ignore)
                    : scanner.rescan(lastScan, dirty, state.base(), ignore);
            lastScan = scan;
            refreshHashTimes(scan, scannedAt);
            long scanned = System.nanoTime();
            Plan plan = Reconciler.plan(scan, ignore.notIgnored(state.base(), BaseEntry::isDirectory),
                    ignore.notIgnored(state.remote(), e -> e.kind() == EntryKind.DIRECTORY),
                    new SyncContext(config.device(), clock.instant(), clock.getZone()));
            LOG.debug("round {}: server changes in {} ms, scan in {} ms, plan of {} action(s) in {} ms", round,
                    (fetched - started) / 1_000_000, (scanned - fetched) / 1_000_000, plan.actions().size(),
                    (System.nanoTime() - scanned) / 1_000_000);
            if (plan.isEmpty()) {
                return finish(changes, scan.skipped().isEmpty() ? List.of() : skippedProblem(scan));
            }
            beforeExecute.run();
            ExecutionReport report = executor.execute(plan, scan, scannedAt);
            store.save(state);
            changes += report.changes();
            if (!report.problems().isEmpty()) {
                lastScan = null;
                return finish(changes, report.problems());
            }
            dirty = touchedBy(plan);
        }
        lastScan = null;
        return finish(changes, List.of("the folder kept changing during the pass; it will be compared again"));
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

    /** Test seam: runs between planning and executing, to let another client act in that window. */
    void beforeExecute(Runnable hook) {
        this.beforeExecute = hook;
    }

    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    private PassResult finish(int changes, List<String> problems) throws IOException {
        boolean inSync = problems.isEmpty();
        long now = clock.millis();
        if (inSync) {
            lastInSyncAt = now;
        }
        store.save(state);
        store.saveLastPass(new LastPass(config.serverUrl(), config.device(), now, inSync, lastInSyncAt, problems));
        return new PassResult(inSync, changes, problems);
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
