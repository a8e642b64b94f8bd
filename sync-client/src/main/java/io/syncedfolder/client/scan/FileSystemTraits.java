package io.syncedfolder.client.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the folder's file system can hold apart: on a case-insensitive disk (Windows, macOS by default)
 * {@code Readme.txt} and {@code README.txt} are one file, and Windows refuses names such as {@code CON} or
 * {@code a:b}. Case folding is found by {@link #probe} with a test file in the state folder, not guessed from the
 * OS; Windows' name rules come with Windows. Unicode normalization needs no trait: synced paths are NFC, and the
 * scanner keeps each file's name as it is on disk.
 *
 * @param caseInsensitive   two names differing only in case are the same file here
 * @param windowsNames      names Windows forbids cannot be created here
 */
public record FileSystemTraits(boolean caseInsensitive, boolean windowsNames) {
    /** A Linux-like file system that holds any two different names apart. */
    public static final FileSystemTraits EXACT = new FileSystemTraits(false, false);

    private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");
    private static final String WINDOWS_FORBIDDEN = "<>:\"|?*\\";

    /** Finds out how the file system holding {@code stateDir} treats names, by creating and looking up test files. */
    public static FileSystemTraits probe(Path stateDir) throws IOException {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        return new FileSystemTraits(sameFile(stateDir, "case-probe-Aa", "case-probe-aA"), windows);
    }

    private static boolean sameFile(Path dir, String created, String lookedUp) throws IOException {
        Path file = dir.resolve(created);
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            return Files.exists(dir.resolve(lookedUp), LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.delete(file);
        }
    }

    /** Returns the key under which this file system files {@code path}: equal keys are one file here. */
    public String key(String path) {
        // Synced paths are NFC already, so only case remains to fold.
        return caseInsensitive ? path.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT) : path;
    }

    /** Returns why a segment of {@code path} cannot be created on this file system, if one cannot. */
    public Optional<String> unsupported(String path) {
        if (!windowsNames) {
            return Optional.empty();
        }
        for (String name : path.split("/")) {
            Optional<String> problem = windowsProblem(name);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Returns why Windows refuses {@code name}, if it does. */
    static Optional<String> windowsProblem(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (WINDOWS_FORBIDDEN.indexOf(name.charAt(i)) >= 0) {
                return Optional.of("'" + name + "' holds " + name.charAt(i) + ", which Windows does not allow in names");
            }
        }
        if (name.endsWith(".") || name.endsWith(" ")) {
            return Optional.of("'" + name + "' ends with a dot or a space, which Windows does not allow");
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT).strip();
        if (WINDOWS_DEVICES.contains(stem)) {
            return Optional.of("'" + name + "' is a device name Windows reserves");
        }
        return Optional.empty();
    }
}
