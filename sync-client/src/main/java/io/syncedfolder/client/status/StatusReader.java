package io.syncedfolder.client.status;

import io.syncedfolder.client.plan.Action;
import io.syncedfolder.client.plan.Plan;
import io.syncedfolder.client.plan.Reconciler;
import io.syncedfolder.client.plan.SyncContext;
import io.syncedfolder.client.remote.ChangeFeed;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.scan.IgnoreRules;
import io.syncedfolder.client.scan.LocalScan;
import io.syncedfolder.client.scan.Scanner;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.client.state.LastPass;
import io.syncedfolder.client.state.StateStore;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Works out a folder's {@link FolderStatus} read-only: it reads the client's state (which a running client
 * may be updating), scans the folder, optionally asks the server for changes, and plans as a pass would,
 * without executing or saving anything.
 */
public final class StatusReader {
    private final Clock clock;

    public StatusReader(Clock clock) {
        this.clock = clock;
    }

    /**
     * Returns the status of {@code folder}.
     *
     * @param server the client to ask for remote changes, or null to report from the saved state only
     * @throws IOException if the folder or its state cannot be read, or the server cannot be reached
     */
    public FolderStatus read(Path folder, String serverUrl, ServerClient server, String device) throws IOException {
        Path root = folder.toRealPath();
        Path stateDir = root.resolve(PathRules.STATE_DIR);
        Optional<StateStore.StateFile> state = StateStore.peek(stateDir);
        Optional<LastPass> lastPass = StateStore.loadLastPass(stateDir);
        SortedMap<String, BaseEntry> base = state.map(s -> index(s.base(), BaseEntry::path)).orElseGet(TreeMap::new);
        SortedMap<String, FileEntry> remote = state.map(s -> index(s.remote(), FileEntry::path)).orElseGet(TreeMap::new);
        long cursor = state.map(StateStore.StateFile::cursor).orElse(0L);
        String knownServer = serverUrl != null ? serverUrl : state.map(StateStore.StateFile::server).orElse("unknown");
        List<String> problems = new ArrayList<>(lastPass.map(LastPass::problems).orElse(List.of()));

        boolean checked = false;
        if (server != null) {
            ChangeFeed.Catchup feed = ChangeFeed.since(server, cursor,
                    state.map(StateStore.StateFile::indexId).orElse(null));
            if (feed.indexReplaced()) {
                remote.clear();
                base.clear(); // what this folder last synced means nothing to the new index
                problems.add("the server lost or replaced its data since the last sync; the next pass compares everything");
            }
            feed.entries().forEach(entry -> remote.put(entry.path(), entry));
            checked = true;
        } else {
            problems.add("the server was not asked for changes (no token given)");
        }
        IgnoreRules ignore = IgnoreRules.load(root);
        LocalScan scan = new Scanner(root).scan(base, ignore);
        Plan plan = Reconciler.plan(scan, ignore.notIgnored(base, BaseEntry::isDirectory),
                ignore.notIgnored(remote, e -> e.kind() == EntryKind.DIRECTORY),
                new SyncContext(device, clock.instant(), clock.getZone()));

        long lastSync = lastPass.map(LastPass::lastInSyncAt).orElse(0L);
        boolean inSync = state.isPresent() && plan.isEmpty() && scan.skipped().isEmpty() && lastSync > 0;
        return new FolderStatus(root.toString(), knownServer, checked, lastPass.map(LastPass::device).orElse(device),
                lastSync, inSync,
                plan.actionsOf(Action.Upload.class).size(),
                plan.actionsOf(Action.Download.class).size() + plan.actionsOf(Action.MakeDirectory.class).size(),
                plan.actionsOf(Action.DeleteLocal.class).size(),
                plan.actionsOf(Action.DeleteRemote.class).size(),
                plan.actionsOf(Action.Conflict.class).size(),
                scan.skipped().stream().sorted().toList(),
                problems);
    }

    private static <T> SortedMap<String, T> index(List<T> items, Function<T, String> key) {
        SortedMap<String, T> map = new TreeMap<>();
        if (items != null) {
            items.forEach(item -> map.put(key.apply(item), item));
        }
        return map;
    }
}
