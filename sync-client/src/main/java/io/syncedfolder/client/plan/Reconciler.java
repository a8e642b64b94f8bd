package io.syncedfolder.client.plan;

import io.syncedfolder.client.plan.Action.Conflict;
import io.syncedfolder.client.plan.Action.DeleteLocal;
import io.syncedfolder.client.plan.Action.DeleteRemote;
import io.syncedfolder.client.plan.Action.Download;
import io.syncedfolder.client.plan.Action.MakeDirectory;
import io.syncedfolder.client.plan.Action.RecordBase;
import io.syncedfolder.client.plan.Action.RemoveCopy;
import io.syncedfolder.client.plan.Action.Side;
import io.syncedfolder.client.plan.Action.Upload;
import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.client.scan.FileSystemTraits;
import io.syncedfolder.client.scan.LocalScan;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decides what to do with every path from three inputs: the local scan, the base (what this client last
 * synced) and the remote index. Pure: no disk, no network, no clock beyond the given context.
 *
 * <p>The rules of SPEC §3, where "changed" includes "new" and a remote change is a new version number:
 * <pre>
 * local vs base      remote vs base          action
 * unchanged          unchanged               nothing
 * changed / new      unchanged               upload, commit with baseVersion
 * unchanged          changed / new           download (atomic), record new base
 * deleted            unchanged               commit a tombstone
 * unchanged          deleted (tombstone)     delete locally
 * changed            changed, same content   record new base, no transfer
 * changed            changed, different      conflict: the later mtime keeps the name, the other is
 *                                            saved as a conflict copy, both are synced
 * deleted            changed                 download the remote version (the edit wins)
 * changed            deleted                 upload local (the edit wins)
 * deleted            deleted                 record, nothing to do
 * </pre>
 * Directories follow the same table with "content" meaning only that the directory exists. A directory is
 * never deleted while anything inside it survives the plan: it is uploaded again (if the server deleted it)
 * or created again (if it was deleted here). When a file and a directory claim the same name, the directory
 * keeps it and the file becomes the conflict copy. A path the server has no entry for at all is treated as
 * never synced, so a local file is uploaded rather than deleted. Paths the scan left alone (still being
 * written, unreadable, symbolic links) get no action and count as present.
 */
public final class Reconciler {
    private enum Change {
        ABSENT,
        UNCHANGED,
        CHANGED,
        DELETED
    }

    private final LocalScan local;
    private final Map<String, BaseEntry> base;
    private final Map<String, FileEntry> remote;
    private final SyncContext context;
    /** Every path of the three inputs, in path order, each once. */
    private List<String> paths;
    /** Conflict copy names given out by this plan; with the live paths of the inputs, the names taken. */
    private final Set<String> copies = new HashSet<>();
    private final Map<String, Action> decided = new HashMap<>();
    /** Remote paths this file system cannot hold beside a path it already holds, or at all. */
    private final Set<String> unplaceable = new HashSet<>();
    private final List<String> notices = new ArrayList<>();
    /** Parent folder and content of every conflict copy here or on the server; gathered at the first name clash. */
    private Set<String> copyContents;

    private Reconciler(LocalScan local, Map<String, BaseEntry> base, Map<String, FileEntry> remote,
                       SyncContext context) {
        this.local = local;
        this.base = base;
        this.remote = remote;
        this.context = context;
    }

    /** Returns the plan that brings local and remote into agreement. */
    public static Plan plan(LocalScan local, Map<String, BaseEntry> base, Map<String, FileEntry> remote,
                            SyncContext context) {
        return new Reconciler(local, base, remote, context).plan();
    }

    private Plan plan() {
        paths = allPaths();
        findUnplaceable();
        List<LocalFile> localByPath = valuesByPath(local.files());
        List<BaseEntry> baseByPath = valuesByPath(base);
        List<FileEntry> remoteByPath = valuesByPath(remote);

        for (int i : deepestFirst(paths)) {
            String path = paths.get(i);
            if (local.leftAlone(path) || unplaceable.contains(path)) {
                continue;
            }
            Action action = decide(path, localByPath.get(i), baseByPath.get(i), remoteByPath.get(i));
            if (action != null) {
                decided.put(path, keepDirectoryWithSurvivors(action));
            }
        }
        limitConflictCopies();
        List<Action> actions = new ArrayList<>(decided.values());
        actions.sort(Comparator.comparingInt(Reconciler::phase).thenComparingInt(Reconciler::orderWithinPhase)
                .thenComparing(Action::path));
        return new Plan(actions, notices);
    }

    /**
     * Finds the live remote paths this file system cannot hold: names it refuses, and names that differ only in
     * case from a path it already holds (on a case-insensitive disk, writing one would overwrite the other).
     * The path on disk keeps its name; a remote file that cannot have its own is downloaded once as a conflict
     * copy, unless a copy (or the file on disk) already holds its content. Neither is ever deleted or
     * uploaded for it.
     */
    private void findUnplaceable() {
        FileSystemTraits disk = context.fileSystem();
        if (!disk.caseInsensitive() && !disk.windowsNames()) {
            return;
        }
        Collection<FileEntry> inPathOrder = remote instanceof SortedMap ? remote.values() : new TreeMap<>(remote).values();
        Map<String, String> holder = new HashMap<>();
        local.files().keySet().forEach(path -> holder.putIfAbsent(disk.key(path), path));
        local.skipped().forEach(path -> holder.putIfAbsent(disk.key(path), path));
        local.unsynced().forEach(path -> holder.putIfAbsent(disk.key(path), path));
        // A path synced here before keeps its claim, so a case-only rename on disk is an ordinary rename.
        inPathOrder.stream().filter(r -> !r.deleted() && base.containsKey(r.path()))
                .forEach(r -> holder.putIfAbsent(disk.key(r.path()), r.path()));
        inPathOrder.stream().filter(r -> !r.deleted()).forEach(r -> holder.putIfAbsent(disk.key(r.path()), r.path()));

        for (FileEntry r : inPathOrder) { // a folder comes before what is inside it
            if (r.deleted()) {
                continue;
            }
            String path = r.path();
            String parent = PathRules.parent(path);
            if (!parent.isEmpty() && unplaceable.contains(parent)) {
                unplaceable.add(path);
                continue;
            }
            Optional<String> refused = disk.unsupported(path);
            if (refused.isPresent()) {
                unplaceable.add(path);
                notices.add("cannot create " + path + " on this file system: " + refused.get() + "; it is skipped here");
                continue;
            }
            String owner = holder.get(disk.key(path));
            if (!owner.equals(path) && !base.containsKey(path)) {
                unplaceable.add(path);
                copyAside(r, owner);
            }
        }
    }

    private void copyAside(FileEntry r, String owner) {
        String clash = r.path() + " and " + owner + " differ only in case, which this file system cannot hold apart";
        if (r.kind() == EntryKind.DIRECTORY) {
            notices.add(clash + ": " + r.path() + " and everything in it are skipped here");
            return;
        }
        if (holdsContent(r, owner)) {
            notices.add(clash + ": " + r.path() + " is skipped here (its content is here already)");
            return;
        }
        String copy = ConflictNames.copyPath(r.path(), r.device(), context.now(), context.zone(), this::taken);
        copies.add(copy);
        decided.put(copy, new Download(copy, r, null, clash + ": saved as a conflict copy"));
        notices.add(clash + ": " + r.path() + " is saved here as " + copy);
    }

    /** True if {@code owner}, or a conflict copy beside {@code r} here or on the server, holds {@code r}'s content. */
    private boolean holdsContent(FileEntry r, String owner) {
        LocalFile onDisk = local.files().get(owner);
        if (onDisk != null && Objects.equals(onDisk.sha256(), r.sha256())) {
            return true;
        }
        if (copyContents == null) {
            copyContents = new HashSet<>();
            local.files().values().stream().filter(file -> ConflictNames.isCopy(file.path()))
                    .forEach(file -> copyContents.add(PathRules.parent(file.path()) + "\0" + file.sha256()));
            remote.values().stream().filter(entry -> !entry.deleted() && ConflictNames.isCopy(entry.path()))
                    .forEach(entry -> copyContents.add(PathRules.parent(entry.path()) + "\0" + entry.sha256()));
        }
        return copyContents.contains(PathRules.parent(r.path()) + "\0" + r.sha256());
    }

    /**
     * Returns every path of the scan, the base and the remote index in path order, each once. A sorted list
     * rather than a tree set: a large folder's paths then take a tenth of the memory while the plan is made.
     */
    private List<String> allPaths() {
        return new PathUnion().add(local.files()).add(local.skipped()).add(local.unsynced()).add(base).add(remote)
                .toList();
    }

    /**
     * Returns {@code map}'s value for each of {@link #paths}, null where it has none. A map in path order is walked
     * beside the paths, which hold all its keys in the same order: three lookups per path took most of the time of
     * a no-change plan over 100,000 files.
     */
    @SuppressWarnings("unchecked")
    private <V> List<V> valuesByPath(Map<String, V> map) {
        Object[] values = new Object[paths.size()];
        if (map instanceof SortedMap<String, V> sorted && sorted.comparator() == null) {
            Iterator<V> inOrder = sorted.values().iterator();
            int i = 0;
            for (String key : sorted.keySet()) {
                while (!paths.get(i).equals(key)) {
                    i++;
                }
                values[i++] = inOrder.next();
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = map.get(paths.get(i));
            }
        }
        return (List<V>) Arrays.asList(values);
    }

    /**
     * Returns true if a conflict copy may not be given {@code path}: something lives there here or on the server
     * (a tombstone frees the name), or this plan gave it to another copy already.
     */
    private boolean taken(String path) {
        if (copies.contains(path)) {
            return true;
        }
        FileEntry r = remote.get(path);
        return (r == null || !r.deleted()) && Collections.binarySearch(paths, path) >= 0;
    }

    /**
     * Returns the indexes of {@code paths} deepest first (in path order within one depth), so a directory's
     * decision can see what happens to everything inside it. A counting sort by depth: one pass over the paths
     * whatever the depth of the tree, and no reordered copy of the list.
     */
    private static int[] deepestFirst(List<String> paths) {
        int[] depths = new int[paths.size()];
        int deepest = 0;
        for (int i = 0; i < depths.length; i++) {
            depths[i] = PathRules.depth(paths.get(i));
            deepest = Math.max(deepest, depths[i]);
        }
        int[] next = new int[deepest + 2]; // where the next index of each depth goes, deepest at 0
        for (int depth : depths) {
            next[deepest - depth + 1]++;
        }
        for (int d = 1; d < next.length; d++) {
            next[d] += next[d - 1];
        }
        int[] order = new int[depths.length];
        for (int i = 0; i < depths.length; i++) {
            order[next[deepest - depths[i]]++] = i;
        }
        return order;
    }

    /** Decides for {@code path}, given what the scan, the base and the remote index hold for it (or null). */
    private Action decide(String path, LocalFile l, BaseEntry synced, FileEntry r) {
        // A server that has never heard of the path cannot have deleted it: treat it as never synced.
        BaseEntry b = r == null ? null : synced;
        long remoteVersion = r == null ? 0 : r.version();
        Change localChange = localChange(l, b);
        Change remoteChange = remoteChange(r, b);

        return switch (localChange) {
            case ABSENT -> remoteChange == Change.CHANGED ? fetch(r, null, "new on the server") : null;
            case UNCHANGED -> switch (remoteChange) {
                case UNCHANGED, ABSENT -> null;
                case CHANGED -> fetch(r, l, "changed on the server, unchanged here");
                case DELETED -> new DeleteLocal(path, l, r, "deleted on the server, unchanged here");
            };
            case CHANGED -> switch (remoteChange) {
                case UNCHANGED -> new Upload(path, l, remoteVersion, "changed here, unchanged on the server");
                case ABSENT -> new Upload(path, l, remoteVersion, "new here");
                case CHANGED -> bothChanged(l, r);
                case DELETED -> new Upload(path, l, remoteVersion,
                        "changed here, deleted on the server: the edit wins");
            };
            case DELETED -> switch (remoteChange) {
                case UNCHANGED -> new DeleteRemote(path, b.kind(), remoteVersion, "deleted here, unchanged on the server");
                case CHANGED -> fetch(r, null, "deleted here, changed on the server: the edit wins");
                case DELETED, ABSENT -> new RecordBase(path, null, r, "deleted on both sides");
            };
        };
    }

    private static Change localChange(LocalFile l, BaseEntry b) {
        if (b == null) {
            return l == null ? Change.ABSENT : Change.CHANGED;
        }
        if (l == null) {
            return Change.DELETED;
        }
        return sameContent(l, b) ? Change.UNCHANGED : Change.CHANGED;
    }

    private static Change remoteChange(FileEntry r, BaseEntry b) {
        if (r == null || r.deleted()) {
            return b == null ? Change.ABSENT : Change.DELETED;
        }
        if (b == null) {
            return Change.CHANGED;
        }
        return r.version() == b.version() ? Change.UNCHANGED : Change.CHANGED;
    }

    private static boolean sameContent(LocalFile l, BaseEntry b) {
        if (l.kind() != b.kind()) {
            return false;
        }
        return l.isDirectory() || (Objects.equals(l.sha256(), b.sha256()) && l.executable() == b.executable());
    }

    /** Brings the remote entry here; a remote file cannot replace a local directory, so that is a conflict. */
    private Action fetch(FileEntry r, LocalFile replacing, String rule) {
        if (r.kind() == EntryKind.DIRECTORY) {
            LocalFile file = replacing != null && !replacing.isDirectory() ? replacing : null;
            return new MakeDirectory(r.path(), r, file, rule);
        }
        if (replacing != null && replacing.isDirectory()) {
            return new Download(r.path(), r, replacing, "a folder here was replaced by a file on the server");
        }
        return new Download(r.path(), r, replacing, rule);
    }

    private Action bothChanged(LocalFile l, FileEntry r) {
        String path = l.path();
        if (l.kind() != r.kind()) {
            Side keeper = l.isDirectory() ? Side.LOCAL : Side.REMOTE;
            return conflict(l, r, keeper, "a file and a folder with the same name: the folder keeps the name");
        }
        if (l.isDirectory()) {
            return new RecordBase(path, l, r, "created on both sides");
        }
        if (Objects.equals(l.sha256(), r.sha256())) {
            if (l.executable() == r.executable()) {
                return new RecordBase(path, l, r, "changed on both sides to the same content");
            }
            return new Upload(path, l, r.version(), "same content on both sides; the executable bit here wins");
        }
        if (ConflictNames.isCopy(path)) {
            return new Upload(path, l, r.version(), "a conflict copy changed here and on the server: this device's "
                    + "version keeps it and the other stays in the server's history (a copy of a copy would never end)");
        }
        Side keeper = l.mtime() > r.mtime() ? Side.LOCAL : Side.REMOTE;
        return conflict(l, r, keeper, "changed here and on the server: the later change keeps the name");
    }

    private Action conflict(LocalFile l, FileEntry r, Side keeper, String rule) {
        String renamedDevice = keeper == Side.REMOTE ? context.device() : r.device();
        String copy = ConflictNames.copyPath(l.path(), renamedDevice, context.now(), context.zone(), this::taken);
        copies.add(copy);
        FileEntry atCopy = remote.get(copy);
        return new Conflict(l.path(), l, r, keeper, copy, atCopy == null ? 0 : atCopy.version(), rule);
    }

    /**
     * Removes the oldest conflict copies of a file that would have more than the limit, among those synced and
     * unchanged since: they are on the server, whose history keeps them once removed.
     */
    private void limitConflictCopies() {
        // Every pass looks, not only one that brings a copy: copies that arrived are removable once synced.
        Map<String, List<Copy>> copiesOf = new HashMap<>();
        for (String path : local.files().keySet()) {
            addIfCopy(copiesOf, path);
        }
        for (Action action : decided.values()) {
            String arriving = action instanceof Conflict conflict ? conflict.copyPath()
                    : action instanceof Download download && !local.files().containsKey(download.path()) ? download.path()
                    : null;
            if (arriving != null) {
                addIfCopy(copiesOf, arriving);
            }
        }
        int limit = context.maxConflictCopies();
        for (Map.Entry<String, List<Copy>> group : copiesOf.entrySet()) {
            List<Copy> copies = group.getValue();
            if (copies.size() <= limit) {
                continue;
            }
            copies.sort(Comparator.comparing((Copy copy) -> copy.name().time()).thenComparing(Copy::path));
            int excess = copies.size() - limit;
            for (Iterator<Copy> oldest = copies.iterator(); excess > 0 && oldest.hasNext(); ) {
                String copy = oldest.next().path();
                if (isSettled(copy)) {
                    decided.put(copy, new RemoveCopy(copy, local.files().get(copy), base.get(copy).version(),
                            "more than " + limit + " conflict copies of " + group.getKey()
                                    + ": the oldest is removed here and on the server, whose history keeps it"));
                    excess--;
                }
            }
        }
    }

    /** Adds {@code path} to the copies of its original if it is a conflict copy. */
    private static void addIfCopy(Map<String, List<Copy>> copiesOf, String path) {
        Optional<ConflictNames.CopyName> name = ConflictNames.parse(path); // no lambda: every path is looked at
        if (name.isPresent()) {
            copiesOf.computeIfAbsent(name.get().original(), o -> new ArrayList<>()).add(new Copy(path, name.get()));
        }
    }

    /** A conflict copy's path with what its name says. */
    private record Copy(String path, ConflictNames.CopyName name) {
    }

    /** True if {@code path} is on disk and on the server as this client last synced it, and nothing is planned for it. */
    private boolean isSettled(String path) {
        LocalFile l = local.files().get(path);
        BaseEntry b = base.get(path);
        FileEntry r = remote.get(path);
        return l != null && b != null && r != null && !r.deleted() && r.version() == b.version() && sameContent(l, b)
                && !decided.containsKey(path) && !local.leftAlone(path);
    }

    /** Turns the deletion of a directory into keeping it when something inside it survives this plan. */
    private Action keepDirectoryWithSurvivors(Action action) {
        if (action instanceof DeleteLocal delete && delete.expected().isDirectory() && anySurvivorInside(delete.path())) {
            return new Upload(delete.path(), delete.expected(), delete.tombstone().version(),
                    "deleted on the server, but files inside it are kept here");
        }
        if (action instanceof Download download && download.replacing() != null && download.replacing().isDirectory()
                && anySurvivorInside(download.path())) {
            return conflict(download.replacing(), download.remote(), Side.LOCAL,
                    "a folder here holds kept files, but the server has a file by that name: the folder keeps the name");
        }
        if (action instanceof DeleteRemote delete && delete.kind() == EntryKind.DIRECTORY
                && anySurvivorInside(delete.path())) {
            return new MakeDirectory(delete.path(), remote.get(delete.path()), null,
                    "deleted here, but the server has changed files inside it");
        }
        return action;
    }

    private boolean anySurvivorInside(String dir) {
        // '0' is the character after '/', so this range holds exactly the paths inside dir.
        String from = dir + "/";
        String to = dir + "0";
        int at = Collections.binarySearch(paths, from);
        for (int i = at >= 0 ? at : -at - 1; i < paths.size() && paths.get(i).compareTo(to) < 0; i++) {
            if (survives(paths.get(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean survives(String path) {
        if (local.leftAlone(path)) {
            return true;
        }
        Action action = decided.get(path);
        if (action == null) {
            return local.files().containsKey(path);
        }
        if (action instanceof DeleteLocal || action instanceof DeleteRemote || action instanceof RemoveCopy) {
            return false;
        }
        if (action instanceof RecordBase record) {
            return record.local() != null;
        }
        return true;
    }

    private static int phase(Action action) {
        if (action instanceof Conflict) {
            return 0;
        } else if (action instanceof MakeDirectory) {
            return 1;
        } else if (action instanceof Download download) {
            // A file that replaces a folder comes after everything inside the folder is deleted.
            return download.replacing() != null && download.replacing().isDirectory() ? 7 : 2;
        } else if (action instanceof Upload || action instanceof DeleteRemote || action instanceof RemoveCopy) {
            return 3;
        } else if (action instanceof RecordBase) {
            return 4;
        } else if (action instanceof DeleteLocal delete) {
            return delete.expected().isDirectory() ? 6 : 5;
        }
        throw new AssertionError(action);
    }

    private static int orderWithinPhase(Action action) {
        int depth = PathRules.depth(action.path());
        // Directories are created shallowest first and deleted deepest first.
        return action instanceof DeleteLocal ? -depth : depth;
    }
}
