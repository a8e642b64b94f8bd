package io.syncedfolder.client.scan;

import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileDigest;
import io.syncedfolder.common.FileDigester;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the local folder and describes every synced file and directory, hashing a file only when its size
 * or modification time differs from what was last synced.
 *
 * <p>Symbolic links are not followed and not synced; the state folder {@code .sync/} and ignored paths are
 * left out; a file whose size or mtime changes while it is read is reported as skipped, to be picked up
 * by a later pass once it is stable.
 *
 * <p>Subfolders are walked on all cores: a pass over a large unchanged tree is mostly one {@code lstat}
 * per file, work for the processor rather than the disk once the tree is cached. Each folder's entries are
 * still visited in order by one thread, so which of two names that differ only in Unicode form wins is
 * decided exactly as in a walk on one thread, and the result does not depend on how the work was shared.
 */
public final class Scanner {
    /**
     * A cached hash is trusted only for files last modified this long before they were hashed: file systems
     * stamp mtimes coarsely, so a write in the same tick as the hash would otherwise go unnoticed.
     */
    static final long RACY_MARGIN_MILLIS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);

    /**
     * Walks subfolders for every scanner of the process. Its daemon threads are started on first use and
     * end after a minute without work, so a continuous client keeps them between passes and an idle one
     * holds none.
     */
    private static final ForkJoinPool WALKERS = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
            pool -> {
                ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                thread.setName("scanner-" + thread.getPoolIndex());
                return thread;
            }, null, false);

    private final Path root;
    private final boolean posix;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public Scanner(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Returns whether a hash taken at {@code hashedAt} still describes a file last modified at {@code mtime}. */
    public static boolean trustsHash(long mtime, long hashedAt) {
        return mtime < hashedAt - RACY_MARGIN_MILLIS;
    }

    /** Scans the folder, reusing the hashes recorded in {@code base} for files whose stat is unchanged. */
    public LocalScan scan(Map<String, BaseEntry> base, IgnoreRules ignore) throws IOException {
        Walk walk = new Walk(base, ignore, false);
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) { // else, a link or gone: nothing to sync
            walkFolder(Folder.of(root, "", ""), walk);
        }
        return new LocalScan(walk.files, walk.skipped, walk.unsynced);
    }

    /**
     * Returns {@code previous} with the given NFC paths (each with everything inside it) looked at again:
     * what is gone is dropped, what is new or changed is described afresh. Missing parent folders of a new
     * path are added too.
     */
    public LocalScan rescan(LocalScan previous, Set<String> paths, Map<String, BaseEntry> base, IgnoreRules ignore)
            throws IOException {
        TreeMap<String, LocalFile> files = new TreeMap<>(previous.files());
        Set<String> skipped = new HashSet<>(previous.skipped());
        Set<String> unsynced = new HashSet<>(previous.unsynced());
        Walk walk = new Walk(base, ignore, true);
        for (String path : paths) {
            if (PathRules.problem(path).isPresent() || insideAnother(path, paths)) {
                continue; // invalid, or inside another path that is rescanned whole
            }
            LocalFile known = files.get(path);
            Path onDisk = root.resolve(known == null ? path : known.diskPath());
            files.remove(path);
            files.subMap(path + "/", path + "0").clear(); // '0' follows '/': exactly the paths inside
            removeSubtree(skipped, path);
            removeSubtree(unsynced, path);
            if (Files.exists(onDisk, LinkOption.NOFOLLOW_LINKS)) {
                Folder parent = addParents(walk, onDisk);
                String name = onDisk.getFileName().toString();
                Folder start = parent == null ? null : walk.visit(parent, onDisk, name, true);
                if (start != null) {
                    walkFolder(start, walk);
                }
            }
        }
        walk.files.forEach(files::putIfAbsent);
        skipped.addAll(walk.skipped);
        unsynced.addAll(walk.unsynced);
        return new LocalScan(files, skipped, unsynced);
    }

    /**
     * Walks {@code start} and everything below it. Folders are visited on the calling thread until one has
     * more than one subfolder, so a flat folder, or a chain of single subfolders, is scanned without waking
     * a pool thread.
     */
    private static void walkFolder(Folder start, Walk walk) {
        List<Folder> subfolders = walk.visitEntries(start);
        while (subfolders.size() == 1) {
            subfolders = walk.visitEntries(subfolders.get(0));
        }
        List<FolderTask> tasks = FolderTask.all(subfolders, walk);
        if (!tasks.isEmpty()) {
            WALKERS.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(tasks)));
        }
    }

    /** Walks one folder and, as further tasks that idle threads may take, each of its subfolders. */
    private static final class FolderTask extends RecursiveAction {
        private final Folder folder;
        private final Walk walk;

        private FolderTask(Folder folder, Walk walk) {
            this.folder = folder;
            this.walk = walk;
        }

        static List<FolderTask> all(List<Folder> folders, Walk walk) {
            return folders.stream().map(folder -> new FolderTask(folder, walk)).toList();
        }

        @Override
        protected void compute() {
            invokeAll(all(walk.visitEntries(folder), walk));
        }
    }

    private BasicFileAttributes readAttributes(Path path) throws IOException {
        if (posix) {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean insideAnother(String path, Set<String> paths) {
        for (String parent = PathRules.parent(path); !parent.isEmpty(); parent = PathRules.parent(parent)) {
            if (paths.contains(parent)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Describes the folders between the root and {@code file} and returns the one holding it, or null if one
     * of them is not a synced real folder (a link, ignored, the state folder), so nothing below it may be
     * scanned.
     */
    private Folder addParents(Walk walk, Path file) throws IOException {
        List<Path> parents = new ArrayList<>();
        for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            parents.add(0, dir);
        }
        Folder folder = Folder.of(root, "", "");
        for (Path dir : parents) {
            BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String name = dir.getFileName().toString();
            folder = attrs.isDirectory() ? walk.enterFolder(folder, dir, name, attrs, true) : null;
            if (folder == null) {
                return null;
            }
        }
        return folder;
    }

    private static void removeSubtree(Set<String> paths, String top) {
        paths.remove(top);
        paths.removeIf(p -> PathRules.isInside(p, top));
    }

    /**
     * A folder the walk goes into, with what the names of its entries are built from: its path relative to
     * the root as named on disk ({@code diskPath}), the same with a trailing slash ({@code diskPrefix}, empty
     * for the root), its NFC sync path with a trailing slash ({@code pathPrefix}), and the UTF-8 length of
     * that. They are worked out once per folder, not once per file in it.
     */
    private record Folder(Path dir, String diskPath, String diskPrefix, String pathPrefix, int pathPrefixBytes) {
        static Folder of(Path dir, String diskPath, String path) {
            String diskPrefix = diskPath.isEmpty() ? "" : diskPath + "/";
            String pathPrefix = path.equals(diskPath) ? diskPrefix : path + "/";
            return new Folder(dir, diskPath, diskPrefix, pathPrefix,
                    pathPrefix.getBytes(StandardCharsets.UTF_8).length);
        }

        boolean isRoot() {
            return diskPath.isEmpty();
        }
    }

    /**
     * What one scan or rescan has found so far. Folders are visited by several threads at once, but each
     * path is only ever looked up and added by the thread visiting its folder (two folders never share a
     * sync path: the second is skipped), so the same entries are found, in the same order within a folder,
     * as by a walk on one thread.
     */
    private final class Walk {
        private final Map<String, BaseEntry> base;
        private final IgnoreRules ignore;
        /** Whether this is a rescan, which meets again the folders it added as parents of a rescanned path. */
        private final boolean partial;
        private final LocalScan.Found files = new LocalScan.Found();
        private final Set<String> skipped = ConcurrentHashMap.newKeySet();
        private final Set<String> unsynced = ConcurrentHashMap.newKeySet();

        Walk(Map<String, BaseEntry> base, IgnoreRules ignore, boolean partial) {
            this.base = base;
            this.ignore = ignore;
            this.partial = partial;
        }

        /**
         * Visits each entry of {@code folder} and returns the subfolders the walk goes into. Reading each
         * entry's attributes once, POSIX permissions included, halves the system calls of a pass over a
         * large unchanged tree compared with {@link Files#walkFileTree}.
         */
        List<Folder> visitEntries(Folder folder) {
            List<Folder> subfolders = new ArrayList<>();
            // Distinct names in NFC are distinct sync paths: until a name not in NFC turns up, a full scan
            // cannot meet a path it has described already and need not look for one.
            boolean mayBeSeen = partial;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.dir())) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    mayBeSeen = mayBeSeen
                            || !isPlainAscii(name) && !Normalizer.isNormalized(name, Normalizer.Form.NFC);
                    Folder subfolder = visit(folder, entry, name, mayBeSeen);
                    if (subfolder != null) {
                        subfolders.add(subfolder);
                    }
                }
            } catch (NoSuchFileException e) {
                // deleted while we walked: the next pass sees the deletion
            } catch (IOException | DirectoryIteratorException e) {
                visitFailed(folder.diskPath(), e instanceof DirectoryIteratorException d ? d.getCause() : (IOException) e);
            }
            return subfolders;
        }

        /**
         * Visits {@code entry}, named {@code name} in {@code parent}; returns it if it is a folder the walk goes
         * into, else null. Only if {@code mayBeSeen} can its path have been described already.
         */
        Folder visit(Folder parent, Path entry, String name, boolean mayBeSeen) throws IOException {
            BasicFileAttributes attrs;
            try {
                attrs = readAttributes(entry);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                visitFailed(parent.diskPrefix() + name, e);
                return null;
            }
            if (attrs.isDirectory()) {
                return enterFolder(parent, entry, name, attrs, mayBeSeen);
            }
            visitFile(parent, entry, name, attrs, mayBeSeen);
            return null;
        }

        /** Describes the folder {@code dir} in {@code parent}; returns it if the walk goes into it, else null. */
        Folder enterFolder(Folder parent, Path dir, String name, BasicFileAttributes attrs, boolean mayBeSeen) {
            String diskPath = parent.diskPrefix() + name;
            if (diskPath.equals(PathRules.STATE_DIR)) {
                return null;
            }
            String path = syncPath(parent, name, diskPath);
            if (path == null || ignore.isIgnoredIn(path, name, true)) {
                return null;
            }
            LocalFile seen = mayBeSeen ? files.get(path) : null;
            if (seen != null && seen.diskPath().equals(diskPath)) {
                return Folder.of(dir, diskPath, path); // a parent described again by a partial rescan
            }
            if (seen != null) {
                warnOnce(path, "skipped {}: another name in the folder differs from it only in Unicode form", diskPath);
                skipped.add(path);
                return null;
            }
            files.put(path, LocalFile.directory(path, diskPath, attrs.lastModifiedTime().toMillis()));
            return Folder.of(dir, diskPath, path);
        }

        private void visitFile(Folder parent, Path file, String name, BasicFileAttributes attrs, boolean mayBeSeen)
                throws IOException {
            String diskPath = parent.diskPrefix() + name;
            if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
                warnOnce(diskPath, attrs.isSymbolicLink() ? "skipped {}: symbolic links are not synced"
                        : "skipped {}: only regular files and folders are synced", diskPath);
                String path = syncPath(parent, name, diskPath);
                if (path != null) {
                    unsynced.add(path);
                }
                return;
            }
            String path = syncPath(parent, name, diskPath);
            if (path == null || ignore.isIgnoredIn(path, name, false)) {
                return;
            }
            LocalFile seen = mayBeSeen ? files.get(path) : null;
            if (seen != null && seen.diskPath().equals(diskPath)) {
                return; // already described by this (partial) scan
            }
            if (seen != null) {
                warnOnce(path, "skipped {}: another name in the folder differs from it only in Unicode form", diskPath);
                skipped.add(path);
                return;
            }
            LocalFile scanned = describe(file, path, diskPath, attrs);
            if (scanned == null) {
                skipped.add(path);
            } else {
                files.put(scanned.path(), scanned);
            }
        }

        private void visitFailed(String diskPath, IOException e) {
            if (e instanceof NoSuchFileException) {
                return; // deleted while we walked: the next pass sees the deletion
            }
            warnOnce(diskPath, "skipped {}: cannot read it ({})", diskPath, e.getMessage());
            String path = syncPath(diskPath);
            if (path != null) {
                skipped.add(path);
            }
        }

        private LocalFile describe(Path file, String path, String diskPath, BasicFileAttributes attrs) throws IOException {
            long size = attrs.size();
            long mtime = attrs.lastModifiedTime().toMillis();
            boolean executable = attrs instanceof PosixFileAttributes permissions
                    && permissions.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
            BaseEntry known = base.get(path);
            if (known != null && known.kind() == EntryKind.FILE && known.size() == size && known.mtime() == mtime
                    && trustsHash(mtime, known.hashedAt())) {
                // The base's path string is kept for the scan too: the one just built from the folder's name
                // is dropped at once, so a scan of an unchanged folder holds no second copy of every path.
                String kept = known.path();
                return new LocalFile(kept, diskPath.equals(kept) ? kept : diskPath, EntryKind.FILE, size, mtime,
                        executable, known.sha256(), known.chunks());
            }
            FileDigest digest;
            try {
                digest = FileDigester.digest(file);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                warnOnce(diskPath, "skipped {}: cannot read it ({})", diskPath, e.getMessage());
                return null;
            }
            BasicFileAttributes after;
            try {
                after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return null;
            }
            if (after.size() != size || after.lastModifiedTime().toMillis() != mtime || digest.size() != size) {
                LOG.info("{} is still being written; it will be synced once it stops changing", diskPath);
                return null;
            }
            return new LocalFile(path, diskPath, EntryKind.FILE, size, mtime, executable, digest.sha256(), digest.chunks());
        }

        /**
         * Returns the NFC sync path of the entry {@code name} of {@code parent}, or null (with a warning) if it
         * cannot be synced. A name of plain ASCII is its own NFC form and valid in any valid folder, so only
         * the path's length is left to check; any other name gets the full check of {@link #syncPath(String)}.
         */
        private String syncPath(Folder parent, String name, String diskPath) {
            if (isPlainAscii(name) && parent.pathPrefixBytes() + name.length() <= PathRules.MAX_PATH_BYTES
                    && !(parent.isRoot() && name.equalsIgnoreCase(PathRules.STATE_DIR))) {
                return parent.pathPrefix().equals(parent.diskPrefix()) ? diskPath : parent.pathPrefix() + name;
            }
            return syncPath(diskPath);
        }

        /** Returns the NFC sync path for a path found on disk, or null (with a warning) if it cannot be synced. */
        private String syncPath(String diskPath) {
            String path = Normalizer.isNormalized(diskPath, Normalizer.Form.NFC)
                    ? diskPath : Normalizer.normalize(diskPath, Normalizer.Form.NFC);
            var problem = PathRules.problem(path);
            if (problem.isPresent()) {
                warnOnce(diskPath, "skipped {}: {}", diskPath, problem.get());
                return null;
            }
            return path;
        }
    }

    /**
     * Returns true if {@code name} is printable ASCII, at most {@value PathRules#MAX_SEGMENT_BYTES} long, with
     * no slash or backslash and not {@code .} or {@code ..}: a name {@link PathRules} accepts in any folder.
     */
    private static boolean isPlainAscii(String name) {
        if (name.isEmpty() || name.length() > PathRules.MAX_SEGMENT_BYTES || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '/' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private void warnOnce(String key, String message, Object... args) {
        if (warned.add(key + "\0" + message)) {
            LOG.warn(message, args);
        }
    }
}
