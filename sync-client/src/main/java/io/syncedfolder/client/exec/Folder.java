package io.syncedfolder.client.exec;

import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Resolves synced paths inside the local folder without ever leaving it: the path must pass
 * {@link PathRules}, and no folder on the way may be a symbolic link or a file.
 */
final class Folder {
    private final Path root;

    Folder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /**
     * Returns where the relative disk path {@code path} lives, refusing a path that breaks the
     * {@link PathRules} (other than being in NFC: names on disk may be decomposed) or whose parent folders
     * are links or files.
     */
    Path resolve(String path) throws IOException {
        return walk(path).target();
    }

    /** Returns where {@code path} lives after creating its missing parent folders. */
    Path resolveCreatingParents(String path) throws IOException {
        Walked walked = walk(path);
        if (!walked.parentExists()) {
            Files.createDirectories(walked.target().getParent());
        }
        return walked.target();
    }

    /** Where a path lives, and whether its parent folder is there (as a real folder). */
    private record Walked(Path target, boolean parentExists) {
    }

    /** Resolves {@code path} as {@link #resolve} says, checking each existing folder on the way down. */
    private Walked walk(String path) throws IOException {
        PathRules.normalize(path);
        Path target = root;
        for (String segment : path.split("/")) {
            target = target.resolve(segment);
        }
        target = target.normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("cannot write " + path + ": it leads outside the folder");
        }
        Path parent = target.getParent();
        for (Path current = root; !current.equals(parent); ) {
            current = current.resolve(parent.getName(current.getNameCount()));
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return new Walked(target, false); // nothing further down exists either
            }
            if (attributes.isSymbolicLink()) {
                throw new IOException("cannot write " + path + ": " + root.relativize(current) + " is a symbolic link");
            }
            if (!attributes.isDirectory()) {
                throw new IOException("cannot write " + path + ": " + root.relativize(current) + " is a file, not a folder");
            }
        }
        return new Walked(target, true);
    }
}
