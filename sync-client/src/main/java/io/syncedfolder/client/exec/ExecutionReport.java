package io.syncedfolder.client.exec;

import java.util.List;

/**
 * What one execution of a plan achieved.
 *
 * @param stale    commits the server refused because another device changed the same paths first
 * @param skipped  actions left for the next pass because a local file changed while we worked
 * @param problems one readable line per action that failed (disk full, permission denied…)
 */
public record ExecutionReport(int uploaded, int downloaded, int deletedHere, int deletedOnServer,
                              int conflicts, int stale, int skipped, List<String> problems) {
    public ExecutionReport {
        problems = List.copyOf(problems);
    }

    public int changes() {
        return uploaded + downloaded + deletedHere + deletedOnServer + conflicts;
    }
}
