package io.syncedfolder.client.scan;

import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which paths are not synced: OS and editor litter by default, plus the gitignore-style patterns of
 * {@value #FILE_NAME} in the folder root.
 *
 * <p>Supported pattern syntax, as in gitignore: {@code #} comments, {@code !} to re-include, {@code *},
 * {@code ?}, {@code [...]} and {@code **}; a pattern with a slash (other than a trailing one) is anchored
 * to the folder root, one without matches a name at any depth; a trailing slash matches only directories.
 * Everything inside an ignored directory is ignored. The last matching pattern wins.
 */
public final class IgnoreRules {
    public static final String FILE_NAME = ".syncignore";
    private static final Logger LOG = LoggerFactory.getLogger(IgnoreRules.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** Temporary files of common editors and OS litter (SPEC §3). */
    static final List<String> DEFAULTS = List.of(
            ".DS_Store", "Thumbs.db", "desktop.ini", "~$*", "*.swp", "*.swx", ".~lock.*#", ".#*", "4913");

    /** Files the OS leaves in folders by itself; deleting a folder deletes these with it. */
    private static final Set<String> OS_LITTER = Set.of(".DS_Store", "Thumbs.db", "desktop.ini");

    /**
     * One pattern line. An anchored rule (its pattern has a slash) matches the whole path; any other rule
     * matches the last name only, by plain string comparison where the glob allows it. A name it matches
     * starts with {@code head} and ends with {@code tail}, its glob's literal ends (empty where the glob starts or
     * ends with a wildcard; both empty for an anchored rule).
     */
    private record Rule(TextTest matcher, boolean anchored, boolean negated, boolean directoryOnly, String head,
                        String tail) {
        /** Matches the path, or the name that is {@code names} from {@code nameStart} on. */
        boolean matches(String path, String names, int nameStart) {
            return anchored ? matcher.test(path, 0) : matcher.test(names, nameStart);
        }
    }

    /**
     * A test of {@code text} from {@code start} to its end. A name is tested where it stands in its path, not
     * cut out of it: every path of the state is tested in every pass.
     */
    @FunctionalInterface
    private interface TextTest {
        boolean test(String text, int start);
    }

    /**
     * The first and the last characters of the names that a rule which ignores can match (a rule with {@code !}
     * only keeps). Most names have neither, and are then known to be kept without a test of each rule: every
     * path of the state is tested in every pass. Only ASCII characters are noted; a name that starts or ends with
     * another is tested in full.
     */
    private record NameScreen(boolean[] firsts, boolean[] lasts) {
        /** The screen for {@code rules}, or empty if some rule that ignores has no literal head or tail. */
        static Optional<NameScreen> of(List<Rule> rules) {
            NameScreen screen = new NameScreen(new boolean[128], new boolean[128]);
            for (Rule rule : rules) {
                if (rule.negated()) {
                    continue;
                }
                if (!rule.head().isEmpty()) {
                    note(screen.firsts, rule.head().charAt(0));
                } else if (!rule.tail().isEmpty()) {
                    note(screen.lasts, rule.tail().charAt(rule.tail().length() - 1));
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(screen);
        }

        private static void note(boolean[] chars, char c) {
            if (c < chars.length) {
                chars[c] = true;
            }
        }

        /** Returns false if no rule that ignores can match the name that is {@code names} from {@code start} on. */
        boolean mayMatch(String names, int start) {
            if (start >= names.length()) {
                return true;
            }
            char first = names.charAt(start);
            char last = names.charAt(names.length() - 1);
            return first >= firsts.length || firsts[first] || last >= lasts.length || lasts[last];
        }
    }

    private final List<Rule> rules;
    private final Optional<NameScreen> screen;
    /** Folders already decided, so a path's parents are matched once per pass, not once per file inside. */
    private final Map<String, Boolean> ignoredFolders = new ConcurrentHashMap<>();

    private IgnoreRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.screen = NameScreen.of(this.rules);
    }

    /** Returns the default rules only. */
    public static IgnoreRules defaults() {
        return parse(List.of());
    }

    /** Returns the default rules plus those of the folder's {@value #FILE_NAME}, if it has one. */
    public static IgnoreRules load(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return defaults();
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Returns the default rules followed by the given pattern lines. */
    public static IgnoreRules parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String line : DEFAULTS) {
            rules.add(toRule(line));
        }
        for (String line : lines) {
            String trimmed = stripTrailingSpaces(line);
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                rules.add(toRule(trimmed));
            } catch (PatternSyntaxException e) {
                if (WARNED.add(trimmed)) {
                    LOG.warn("{}: ignoring the pattern \"{}\": it is not a valid pattern", FILE_NAME, trimmed);
                }
            }
        }
        return new IgnoreRules(rules);
    }

    /** Returns true if the NFC relative {@code path} (a directory if {@code directory}) is not synced. */
    public boolean isIgnored(String path, boolean directory) {
        String parent = PathRules.parent(path);
        if (!parent.isEmpty() && isIgnoredFolder(parent)) {
            return true;
        }
        return isIgnoredIn(path, path, path.lastIndexOf('/') + 1, directory);
    }

    /**
     * Returns true if the NFC relative {@code path}, whose last segment is {@code name}, is not synced, given
     * that the folder holding it is not ignored: a walk that only goes into synced folders need not look at
     * a file's folders again for each file.
     */
    boolean isIgnoredIn(String path, String name, boolean directory) {
        return isIgnoredIn(path, name, 0, directory);
    }

    /** As {@link #isIgnoredIn(String, String, boolean)}, for the name that is {@code names} from {@code nameStart}. */
    private boolean isIgnoredIn(String path, String names, int nameStart, boolean directory) {
        if (screen.isPresent() && !screen.get().mayMatch(names, nameStart)) {
            return false;
        }
        boolean ignored = false;
        for (Rule rule : rules) {
            if ((directory || !rule.directoryOnly()) && rule.negated() == ignored
                    && rule.matches(path, names, nameStart)) {
                ignored = !rule.negated();
            }
        }
        return ignored;
    }

    private boolean isIgnoredFolder(String path) {
        Boolean known = ignoredFolders.get(path);
        if (known == null) {
            known = isIgnored(path, true);
            ignoredFolders.put(path, known);
        }
        return known;
    }

    /** Returns true if a file of this name is litter the OS creates by itself (e.g. {@code .DS_Store}). */
    public static boolean isOsLitter(String name) {
        return OS_LITTER.contains(name);
    }

    /**
     * Returns the entries whose paths are not ignored, as a read-only map (a view of {@code entries} when
     * nothing in it is ignored, the usual case); {@code isDirectory} tells which entries are folders.
     */
    public <T> SortedMap<String, T> notIgnored(SortedMap<String, T> entries, Predicate<T> isDirectory) {
        List<String> ignored = new ArrayList<>();
        // In path order the entries of a folder mostly follow one another, so its decision is reused while
        // they do, rather than cutting out and looking up the folder's path again for each of them.
        String folder = "";
        boolean folderIgnored = false;
        // The keys and the values of a sorted map come in the same order: walked side by side, they need no
        // entry object per path, which the state's maps would make.
        Iterator<T> values = entries.values().iterator();
        for (String path : entries.keySet()) {
            T value = values.next();
            int slash = path.lastIndexOf('/');
            if (slash != folder.length() || !path.startsWith(folder)) {
                folder = slash < 0 ? "" : path.substring(0, slash);
                folderIgnored = slash >= 0 && isIgnoredFolder(folder);
            }
            if (folderIgnored || isIgnoredIn(path, path, slash + 1, isDirectory.test(value))) {
                ignored.add(path);
            }
        }
        if (ignored.isEmpty()) {
            return Collections.unmodifiableSortedMap(entries);
        }
        SortedMap<String, T> kept = new TreeMap<>(entries);
        ignored.forEach(kept::remove);
        return Collections.unmodifiableSortedMap(kept);
    }

    private static Rule toRule(String line) {
        boolean negated = line.startsWith("!");
        String pattern = negated ? line.substring(1) : line;
        if (pattern.startsWith("\\#") || pattern.startsWith("\\!")) {
            pattern = pattern.substring(1);
        }
        boolean directoryOnly = pattern.endsWith("/");
        if (directoryOnly) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        boolean anchored = pattern.contains("/");
        if (pattern.startsWith("/")) {
            pattern = pattern.substring(1);
        }
        if (anchored) {
            return new Rule(regexMatcher(pattern), true, negated, directoryOnly, "", "");
        }
        return new Rule(nameMatcher(pattern), false, negated, directoryOnly, head(pattern), tail(pattern));
    }

    /** The literal text a glob starts with: all of it if it has no wildcard. */
    private static String head(String glob) {
        return glob.substring(0, indexOfAny(glob, "*?[\\"));
    }

    /** The literal text a glob ends with, after its last wildcard, bracket or escape: all of it if it has none. */
    private static String tail(String glob) {
        return glob.substring(lastIndexOfAny(glob, "*?[]\\") + 1);
    }

    /**
     * Returns a test for a single name: string comparison for a literal, a {@code *x} or an {@code x*}; any
     * other glob runs its regular expression only on names that start and end with the glob's literal ends,
     * as most names do not (a match costs a {@link java.util.regex.Matcher}, and every name of every pass is
     * tested).
     */
    private static TextTest nameMatcher(String glob) {
        if (!hasWildcard(glob)) {
            return (text, start) -> text.length() - start == glob.length() && text.startsWith(glob, start);
        }
        if (glob.startsWith("*") && !hasWildcard(glob.substring(1))) {
            String suffix = glob.substring(1);
            return (text, start) -> endsWith(text, start, suffix);
        }
        if (glob.endsWith("*") && !hasWildcard(glob.substring(0, glob.length() - 1))) {
            String prefix = glob.substring(0, glob.length() - 1);
            return (text, start) -> text.startsWith(prefix, start);
        }
        TextTest regex = regexMatcher(glob);
        String head = head(glob);
        String tail = tail(glob);
        return (text, start) -> text.startsWith(head, start) && endsWith(text, start, tail)
                && regex.test(text, start);
    }

    /** Returns true if {@code text} from {@code start} on ends with {@code suffix}. */
    private static boolean endsWith(String text, int start, String suffix) {
        return text.length() - start >= suffix.length() && text.endsWith(suffix);
    }

    /** Returns the index of the first of {@code chars} in {@code text}, or its length if there is none. */
    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    /**
     * Returns the index of the last of {@code chars} in {@code text}, or -1. Everything after the last
     * wildcard, bracket or escape of a glob is matched literally.
     */
    private static int lastIndexOfAny(String text, String chars) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasWildcard(String glob) {
        return glob.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
    }

    private static TextTest regexMatcher(String glob) {
        Pattern pattern = Pattern.compile(globToRegex(glob), Pattern.DOTALL);
        return (text, start) -> pattern.matcher(text).region(start, text.length()).matches();
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean doubleStar = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                if (doubleStar) {
                    boolean slashFollows = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    regex.append(slashFollows ? "(?:.*/)?" : ".*");
                    i += slashFollows ? 2 : 1;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int close = glob.indexOf(']', i + 2);
                if (close < 0) {
                    regex.append("\\[");
                } else {
                    String body = glob.substring(i + 1, close).replace("\\", "\\\\");
                    if (body.startsWith("!")) {
                        body = "^" + body.substring(1);
                    }
                    regex.append('[').append(body).append(']');
                    i = close;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    private static String stripTrailingSpaces(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ' && (end < 2 || line.charAt(end - 2) != '\\')) {
            end--;
        }
        return line.substring(0, end);
    }
}
