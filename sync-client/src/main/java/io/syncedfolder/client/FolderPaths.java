package io.syncedfolder.client;

import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.PathRules;
import java.io.File;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Turns a path a person typed (relative to the folder, or absolute inside it) into the folder's sync path. */
public final class FolderPaths {
    private FolderPaths() {
    }

    /**
     * Returns {@code given} as a sync path (NFC, {@code /} between names) of {@code folder}.
     *
     * @throws BadPathException if it lies outside the folder or could never be synced
     */
    public static String syncPath(Path folder, String given) throws IOException {
        Path root;
        try {
            root = folder.toRealPath();
        } catch (NoSuchFileException e) {
            root = folder.toAbsolutePath().normalize();
        }
        return PathRules.normalize(relative(root, folder, given));
    }

    /**
     * Returns {@code given} as a path relative to the folder, with {@code /} between names: an absolute path
     * must lie inside {@code root} (the folder's real path) or {@code folder} as given.
     *
     * @throws BadPathException if an absolute path lies outside the folder
     */
    public static String relative(Path root, Path folder, String given) {
        String relative = given;
        Path asPath;
        try {
            asPath = Path.of(given);
        } catch (InvalidPathException e) {
            throw new BadPathException(given, "it is not a valid path here");
        }
        if (asPath.isAbsolute()) {
            Path normalized = asPath.normalize();
            Path base = normalized.startsWith(root) ? root : folder.toAbsolutePath().normalize();
            if (!normalized.startsWith(base) || normalized.equals(base)) {
                throw new BadPathException(given, "it is not inside the folder " + root);
            }
            relative = base.relativize(normalized).toString();
        }
        relative = relative.replace(File.separatorChar, '/');
        while (relative.startsWith("./")) {
            relative = relative.substring(2);
        }
        while (relative.endsWith("/") && relative.length() > 1) {
            relative = relative.substring(0, relative.length() - 1);
        }
        return relative;
    }
}
