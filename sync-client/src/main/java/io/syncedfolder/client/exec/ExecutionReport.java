package io.syncedfolder.client.exec;

import java.util.List;
import java.util.Map;

/**
 * What one execution of a plan achieved.
 *
 * @param stale    commits the server refused because another device changed the same paths first
 * @param skipped  actions left for the next pass because a local file changed while we worked
 * @param problems one readable line per action that failed (disk full, permission denied…)
 * @param outcomes what became of each path the plan acted on (a conflict copy has its own entry), for
 *                 {@code sync-client why}
 */
public record ExecutionReport(int uploaded, int downloaded, int deletedHere, int deletedOnServer,
                              int conflicts, int stale, int skipped, List<String> problems,
                              Map<String, Outcome> outcomes) {
    public ExecutionReport {
        problems = List.copyOf(problems);
        outcomes = Map.copyOf(outcomes);
    }

    /** How an action on one path ended. */
    public enum Result {
        DONE,
        /** Left for the next pass: the local file changed while we worked (the detail says how). */
        LEFT_FOR_NEXT_PASS,
        /** Failed; the detail is the problem line. */
        FAILED,
        /** The server refused the commit: another device changed the path first; decided again next round. */
        STALE
    }

    /** How an action on one path ended, with a readable detail (null when there is nothing to add). */
    public record Outcome(Result result, String detail) {
        static Outcome done() {
            return new Outcome(Result.DONE, null);
        }

        static Outcome left(String reason) {
            return new Outcome(Result.LEFT_FOR_NEXT_PASS, reason);
        }

        static Outcome failed(String problem) {
            return new Outcome(Result.FAILED, problem);
        }

        static Outcome stale(String detail) {
            return new Outcome(Result.STALE, detail);
        }
    }
}
