package io.syncedfolder.client.why;

import io.syncedfolder.client.FolderPaths;
import io.syncedfolder.client.Times;
import io.syncedfolder.client.scan.IgnoreRules;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.client.state.LastPass;
import io.syncedfolder.client.state.StateStore;
import io.syncedfolder.client.why.Explanation.Verdict;
import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Works out an {@link Explanation} for one path from what the client saved in {@code .sync/} (its state, the
 * last pass, the recorded decisions), read-only: no server, no scan, safe while a client syncs the folder.
 */
public final class WhyReader {
    private WhyReader() {
    }

    /**
     * Explains {@code given}, a path relative to {@code folder} or an absolute path inside it; times in notes
     * are told in {@code zone}.
     *
     * @throws BadPathException if {@code given} is not a path that could be synced, or lies outside the folder
     */
    public static Explanation explain(Path folder, String given, ZoneId zone) throws IOException {
        Path root;
        try {
            root = folder.toRealPath();
        } catch (NoSuchFileException e) {
            return new Explanation(folder.toString(), given, Verdict.NEVER_SYNCED, 0, List.of(), null,
                    "the folder does not exist");
        }
        String relative = FolderPaths.relative(root, folder, given);
        String first = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : relative;
        if (first.equalsIgnoreCase(PathRules.STATE_DIR)) {
            return new Explanation(root.toString(), relative, Verdict.IGNORED, 0, List.of(), null,
                    PathRules.STATE_DIR + "/ holds this client's own state and is never synced");
        }
        String path = PathRules.normalize(relative);
        Path stateDir = root.resolve(PathRules.STATE_DIR);
        Optional<StateStore.StateFile> state = Files.isDirectory(stateDir) ? StateStore.peek(stateDir) : Optional.empty();
        Optional<LastPass> lastPass = Files.isDirectory(stateDir) ? StateStore.loadLastPass(stateDir) : Optional.empty();
        if (state.isEmpty() && lastPass.isEmpty()) {
            return new Explanation(root.toString(), path, Verdict.NEVER_SYNCED, 0, List.of(), null,
                    root + " has never been synced (no saved state in " + PathRules.STATE_DIR + "/)");
        }
        BaseEntry base = state.map(s -> find(s.base(), path, BaseEntry::path)).orElse(null);
        FileEntry remote = state.map(s -> find(s.remote(), path, FileEntry::path)).orElse(null);

        List<Decision> recorded = DecisionLog.read(stateDir);
        long lastPassAt = Math.max(lastPass.map(LastPass::endedAt).orElse(0L),
                recorded.stream().mapToLong(Decision::passAt).max().orElse(0));
        List<Decision> forPath = recorded.stream().filter(d -> d.path().equals(path)).toList();
        List<Decision> lastPassDecisions = forPath.stream().filter(d -> d.passAt() == lastPassAt).toList();
        Decision earlier = forPath.stream().filter(d -> d.passAt() < lastPassAt).reduce((a, b) -> b).orElse(null);

        // The question is what the last pass did: answer that first, even if the path has been ignored since.
        if (!lastPassDecisions.isEmpty()) {
            return new Explanation(root.toString(), path, Verdict.DECIDED, lastPassAt, lastPassDecisions, null, null);
        }
        Path onDisk = PathRules.resolve(root, path);
        boolean directory = (base != null && base.isDirectory()) || (remote != null && remote.kind() == EntryKind.DIRECTORY)
                || Files.isDirectory(onDisk, LinkOption.NOFOLLOW_LINKS);
        IgnoreRules ignore = IgnoreRules.load(root);
        if (ignore.isIgnored(path, directory)) {
            String which = IgnoreRules.defaults().isIgnored(path, directory)
                    ? "it matches a default ignore pattern (temporary files of editors, OS litter)"
                    : "it matches a pattern in " + IgnoreRules.FILE_NAME + " (or lies in a folder that does)";
            return new Explanation(root.toString(), path, Verdict.IGNORED, lastPassAt, List.of(), earlier,
                    which + "; it is never synced");
        }
        Optional<DecisionLog.LeftAlone> leftAlone = leftAlone(stateDir, path);
        if (leftAlone.isPresent()) {
            DecisionLog.LeftAlone why = leftAlone.get();
            String rule = why.path().equals(path)
                    ? "left alone by the scan: " + why.reason()
                    : "inside " + why.path() + ", which the scan left alone: " + why.reason();
            Decision decision = new Decision(lastPassAt, 0, path, null, Decision.Input.of(base), Decision.Input.of(remote),
                    "nothing", rule, Decision.Outcome.LEFT_FOR_NEXT_PASS, null);
            return new Explanation(root.toString(), path, Verdict.LEFT_ALONE, lastPassAt, List.of(decision), earlier,
                    "left alone since " + Times.when(why.since(), zone));
        }
        if (base == null && remote == null) {
            String note = Files.exists(onDisk, LinkOption.NOFOLLOW_LINKS)
                    ? "it is in the folder but appeared after the last pass; the next pass will sync it"
                    : "it is not in the folder, in this client's saved state or in its copy of the server's index";
            return new Explanation(root.toString(), path, Verdict.UNKNOWN, lastPassAt, List.of(), earlier,
                    note);
        }
        return new Explanation(root.toString(), path, Verdict.NO_ACTION, lastPassAt,
                List.of(noAction(path, lastPassAt, base, remote)), earlier, null);
    }

    /** Returns what the last pass saw for a path it did not act on, from the saved base and remote entry. */
    private static Decision noAction(String path, long lastPassAt, BaseEntry base, FileEntry remote) {
        Decision.Input b = Decision.Input.of(base);
        Decision.Input r = Decision.Input.of(remote);
        if (base != null && remote != null && !remote.deleted() && remote.version() == base.version()) {
            return new Decision(lastPassAt, 0, path, b.asLocal(), b, r, "nothing",
                    "unchanged on both sides: nothing to do", Decision.Outcome.NOTHING_TO_DO, null);
        }
        if (base == null && remote.deleted()) {
            return new Decision(lastPassAt, 0, path, null, null, r, "nothing",
                    "deleted on the server and not here: nothing to do", Decision.Outcome.NOTHING_TO_DO, null);
        }
        // The saved state disagrees with itself only when the last pass stopped early (see `status`).
        return new Decision(lastPassAt, 0, path, null, b, r, "nothing",
                "not decided: the last pass stopped before it got to this path; the next pass compares it",
                Decision.Outcome.LEFT_FOR_NEXT_PASS, null);
    }

    private static Optional<DecisionLog.LeftAlone> leftAlone(Path stateDir, String path) throws IOException {
        Optional<DecisionLog.LeftAloneFile> file = DecisionLog.readLeftAlone(stateDir);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        for (String p = path; !p.isEmpty(); p = PathRules.parent(p)) {
            String candidate = p;
            Optional<DecisionLog.LeftAlone> hit = file.get().paths().stream().filter(l -> l.path().equals(candidate)).findFirst();
            if (hit.isPresent()) {
                return hit;
            }
        }
        return Optional.empty();
    }


    private static <T> T find(List<T> sorted, String path, java.util.function.Function<T, String> key) {
        if (sorted == null) {
            return null;
        }
        int low = 0;
        int high = sorted.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = key.apply(sorted.get(mid)).compareTo(path);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return sorted.get(mid);
            }
        }
        return null;
    }
}
