package io.syncedfolder.client.why;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What {@code sync-client why PATH} found out about one path.
 *
 * @param lastPassAt when the last pass ended, epoch milliseconds (0: no pass ever ended)
 * @param decisions  the decisions of the last pass for the path (one per round it was decided in); for a path
 *                   the last pass did not act on, the one decision reconstructed from the saved state
 * @param earlier    the most recent decision recorded for the path by an earlier pass, or null
 * @param note       a sentence for people about the verdict, or null
 */
public record Explanation(String folder, String path, Verdict verdict, long lastPassAt, List<Decision> decisions,
                          Decision earlier, String note) {

    public Explanation {
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    /** What kind of answer this is. */
    public enum Verdict {
        /** The last pass decided an action for the path; {@code decisions} holds what it saw and did. */
        DECIDED,
        /** The last pass had no action for the path; {@code decisions} holds its inputs from the saved state. */
        NO_ACTION,
        /** The scan left the path alone (still being written, unreadable, a symbolic link). */
        LEFT_ALONE,
        /** The path is not synced: a default ignore pattern or {@code .syncignore} matches it. */
        IGNORED,
        /** This client knows nothing of the path. */
        UNKNOWN,
        /** The folder has never been synced. */
        NEVER_SYNCED
    }

    /** Returns true if the path was explained (not unknown, the folder synced at least once). */
    @JsonIgnore
    public boolean explained() {
        return verdict != Verdict.UNKNOWN && verdict != Verdict.NEVER_SYNCED;
    }
}
