package io.syncedfolder.common;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Optional;

/**
 * Decides which relative paths may travel between client and server (SPEC §4), the same rules on both sides.
 *
 * <p>A valid path is Unicode NFC, made of segments joined by {@code /}, with no empty, {@code .} or
 * {@code ..} segment, no leading or trailing slash, no backslash, no NUL or control character, at most
 * {@value #MAX_SEGMENT_BYTES} UTF-8 bytes per segment and {@value #MAX_PATH_BYTES} in all, and it does not
 * start with the client's state folder {@value #STATE_DIR} (in any letter case).
 */
public final class PathRules {
    public static final int MAX_PATH_BYTES = 4096;
    public static final int MAX_SEGMENT_BYTES = 255;
    public static final String STATE_DIR = ".sync";

    private PathRules() {
    }

    /** Returns what is wrong with {@code path}, or empty if it is valid. */
    public static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("the path is empty");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) {
                return Optional.of("it contains a NUL character");
            }
            if (Character.isISOControl(c)) {
                return Optional.of("it contains a control character");
            }
            if (c == '\\') {
                return Optional.of("it contains a backslash; use / between folders");
            }
            if (Character.isSurrogate(c) && !validSurrogatePair(path, i)) {
                return Optional.of("it is not valid Unicode");
            }
        }
        if (path.startsWith("/")) {
            return Optional.of("it is absolute; paths are relative to the synced folder");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return Optional.of("it is longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
            return Optional.of("it is not in Unicode NFC form");
        }
        String[] segments = path.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                return Optional.of("it has an empty segment (a doubled or trailing /)");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("it contains a \"" + segment + "\" segment");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return Optional.of("a name in it is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        // Any case: on a case-insensitive disk ".Sync" is the client's own state folder.
        if (segments[0].equalsIgnoreCase(STATE_DIR)) {
            return Optional.of("\"" + STATE_DIR + "\" is reserved for the client's own state");
        }
        return Optional.empty();
    }

    public static boolean isValid(String path) {
        return problem(path).isEmpty();
    }

    /** Returns {@code path} unchanged if it is valid, else throws {@link BadPathException}. */
    public static String check(String path) {
        problem(path).ifPresent(reason -> {
            throw new BadPathException(path, reason);
        });
        return path;
    }

    /** Returns {@code path} in NFC if it is then valid, else throws {@link BadPathException}. */
    public static String normalize(String path) {
        if (path == null) {
            throw new BadPathException(null, "the path is empty");
        }
        return check(Normalizer.normalize(path, Normalizer.Form.NFC));
    }

    /**
     * Returns the file-system location of a valid relative path under {@code root}, refusing anything that
     * would land outside it.
     */
    public static Path resolve(Path root, String path) {
        check(path);
        Path base = root.toAbsolutePath().normalize();
        Path resolved = base;
        for (String segment : path.split("/")) {
            resolved = resolved.resolve(segment);
        }
        resolved = resolved.normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new BadPathException(path, "it leads outside the folder");
        }
        return resolved;
    }

    /** Returns the parent of a valid path, or the empty string for a top-level name. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Returns the last segment of a valid path. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Returns the number of segments of a valid path. */
    public static int depth(String path) {
        int depth = 1;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    /** Returns true if {@code path} lies strictly inside the directory {@code dir}. */
    public static boolean isInside(String path, String dir) {
        return path.length() > dir.length() && path.startsWith(dir) && path.charAt(dir.length()) == '/';
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
