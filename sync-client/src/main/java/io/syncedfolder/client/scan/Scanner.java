package io.syncedfolder.client.scan;

import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileDigest;
import io.syncedfolder.common.FileDigester;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the local folder and describes every synced file and directory, hashing a file only when its size
 * or modification time differs from what was last synced.
 *
 * <p>Symbolic links are not followed and not synced; the state folder {@code .sync/} and ignored paths are
 * left out; a file whose size or mtime changes while it is read is reported as skipped, to be picked up
 * by a later pass once it is stable.
 */
public final class Scanner {
    /**
     * A cached hash is trusted only for files last modified this long before they were hashed: file systems
     * stamp mtimes coarsely, so a write in the same tick as the hash would otherwise go unnoticed.
     */
    static final long RACY_MARGIN_MILLIS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);

    private final Path root;
    private final boolean posix;
    private final Set<String> warned = new HashSet<>();

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
        Walk walk = new Walk(base, ignore);
        walkTree(root, walk);
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
        Walk walk = new Walk(base, ignore);
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
            if (Files.exists(onDisk, LinkOption.NOFOLLOW_LINKS) && addParents(walk, onDisk)) {
                walkTree(onDisk, walk);
            }
        }
        walk.files.forEach(files::putIfAbsent);
        skipped.addAll(walk.skipped);
        unsynced.addAll(walk.unsynced);
        return new LocalScan(files, skipped, unsynced);
    }

    /**
     * Visits {@code start} and, if it is a folder the walk continues into, everything below it. Unlike
     * {@link Files#walkFileTree} it reads each entry's attributes once, POSIX permissions included, which
     * halves the system calls of a pass over a large unchanged tree.
     */
    private void walkTree(Path start, Walk walk) throws IOException {
        walkTree(start, relative(start), walk);
    }

    /** {@code diskPath} is {@code start} relative to the root, carried down so it is never computed from a Path. */
    private void walkTree(Path start, String diskPath, Walk walk) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = readAttributes(start);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            walk.visitFileFailed(diskPath, e);
            return;
        }
        if (!attrs.isDirectory()) {
            walk.visitFile(start, diskPath, attrs);
        } else if (walk.preVisitDirectory(diskPath, attrs) == FileVisitResult.CONTINUE) {
            String prefix = diskPath.isEmpty() ? "" : diskPath + "/";
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(start)) {
                for (Path entry : entries) {
                    walkTree(entry, prefix + entry.getFileName(), walk);
                }
            } catch (NoSuchFileException e) {
                // deleted while we walked: the next pass sees the deletion
            } catch (IOException | DirectoryIteratorException e) {
                walk.visitFileFailed(diskPath, e instanceof DirectoryIteratorException d ? d.getCause() : (IOException) e);
            }
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
     * Describes the folders between the root and {@code file}; returns false if one of them is not a synced
     * real folder (a link, ignored, the state folder), so nothing below it may be scanned.
     */
    private boolean addParents(Walk walk, Path file) throws IOException {
        List<Path> parents = new ArrayList<>();
        for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            parents.add(0, dir);
        }
        for (Path dir : parents) {
            BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isDirectory() || walk.preVisitDirectory(relative(dir), attrs) != FileVisitResult.CONTINUE) {
                return false;
            }
        }
        return true;
    }

    private static void removeSubtree(Set<String> paths, String top) {
        paths.remove(top);
        paths.removeIf(p -> PathRules.isInside(p, top));
    }

    private final class Walk {
        private final Map<String, BaseEntry> base;
        private final IgnoreRules ignore;
        private final TreeMap<String, LocalFile> files = new TreeMap<>();
        private final Set<String> skipped = new HashSet<>();
        private final Set<String> unsynced = new HashSet<>();

        Walk(Map<String, BaseEntry> base, IgnoreRules ignore) {
            this.base = base;
            this.ignore = ignore;
        }

        FileVisitResult preVisitDirectory(String diskPath, BasicFileAttributes attrs) {
            if (diskPath.isEmpty()) {
                return FileVisitResult.CONTINUE; // the root
            }
            if (diskPath.equals(PathRules.STATE_DIR)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            String path = syncPath(diskPath);
            if (path == null || ignore.isIgnored(path, true)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            LocalFile seen = files.get(path);
            if (seen != null && seen.diskPath().equals(diskPath)) {
                return FileVisitResult.CONTINUE; // a parent described again by a partial rescan
            }
            if (seen != null) {
                warnOnce(path, "skipped {}: another name in the folder differs from it only in Unicode form", diskPath);
                skipped.add(path);
                return FileVisitResult.SKIP_SUBTREE;
            }
            files.put(path, LocalFile.directory(path, diskPath, attrs.lastModifiedTime().toMillis()));
            return FileVisitResult.CONTINUE;
        }

        FileVisitResult visitFile(Path file, String diskPath, BasicFileAttributes attrs) throws IOException {
            if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
                warnOnce(diskPath, attrs.isSymbolicLink() ? "skipped {}: symbolic links are not synced"
                        : "skipped {}: only regular files and folders are synced", diskPath);
                String path = syncPath(diskPath);
                if (path != null) {
                    unsynced.add(path);
                }
                return FileVisitResult.CONTINUE;
            }
            String path = syncPath(diskPath);
            if (path == null || ignore.isIgnored(path, false)) {
                return FileVisitResult.CONTINUE;
            }
            LocalFile seen = files.get(path);
            if (seen != null && seen.diskPath().equals(diskPath)) {
                return FileVisitResult.CONTINUE; // already described by this (partial) scan
            }
            if (seen != null) {
                warnOnce(path, "skipped {}: another name in the folder differs from it only in Unicode form", diskPath);
                skipped.add(path);
                return FileVisitResult.CONTINUE;
            }
            LocalFile scanned = describe(file, path, diskPath, attrs);
            if (scanned == null) {
                skipped.add(path);
            } else {
                files.put(path, scanned);
            }
            return FileVisitResult.CONTINUE;
        }

        FileVisitResult visitFileFailed(String diskPath, IOException e) {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // deleted while we walked: the next pass sees the deletion
            }
            warnOnce(diskPath, "skipped {}: cannot read it ({})", diskPath, e.getMessage());
            String path = syncPath(diskPath);
            if (path != null) {
                skipped.add(path);
            }
            return FileVisitResult.CONTINUE;
        }

        private LocalFile describe(Path file, String path, String diskPath, BasicFileAttributes attrs) throws IOException {
            long size = attrs.size();
            long mtime = attrs.lastModifiedTime().toMillis();
            boolean executable = attrs instanceof PosixFileAttributes permissions
                    && permissions.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
            BaseEntry known = base.get(path);
            if (known != null && known.kind() == EntryKind.FILE && known.size() == size && known.mtime() == mtime
                    && trustsHash(mtime, known.hashedAt())) {
                return new LocalFile(path, diskPath, EntryKind.FILE, size, mtime, executable, known.sha256(), known.chunks());
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

        /** Returns the NFC sync path for a name found on disk, or null (with a warning) if it cannot be synced. */
        private String syncPath(String diskPath) {
            String path = Normalizer.normalize(diskPath, Normalizer.Form.NFC);
            var problem = PathRules.problem(path);
            if (problem.isPresent()) {
                warnOnce(diskPath, "skipped {}: {}", diskPath, problem.get());
                return null;
            }
            return path;
        }
    }

    private String relative(Path file) {
        StringBuilder out = new StringBuilder();
        for (Path name : root.relativize(file)) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(name);
        }
        return out.toString();
    }

    private void warnOnce(String key, String message, Object... args) {
        if (warned.add(key + "\0" + message)) {
            LOG.warn(message, args);
        }
    }
}
