package io.syncedfolder.server.index;

import java.time.Duration;
import java.util.Objects;

/**
 * Decides which earlier versions of a path the index keeps.
 *
 * <p>An earlier version is kept while both hold: it is among the {@code keepVersions} most recent earlier versions
 * of its path, and it was replaced less than {@code keepFor} ago. "Replaced" is when the server accepted the change
 * that made it an earlier version, not the file's modification time, so a file untouched for years and then
 * overwritten is still kept for the whole period. A deleted file's last version is its most recent earlier version,
 * so it stays restorable for {@code keepFor} after the deletion (as long as {@code keepVersions} is at least 1).
 * Every kind of earlier version counts, deletions and directories included; {@code 0} for either turns history off.
 *
 * @param keepVersions how many earlier versions of each path at most
 * @param keepFor      how long after it was replaced an earlier version is kept at most
 */
public record RetentionPolicy(int keepVersions, Duration keepFor) {
    /** 20 versions, 30 days. */
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(20, Duration.ofDays(30));

    public RetentionPolicy {
        Objects.requireNonNull(keepFor, "keepFor");
        if (keepVersions < 0 || keepFor.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + keepVersions + ", " + keepFor);
        }
    }

    /**
     * Returns whether an earlier version is kept at {@code now}.
     *
     * @param rank       1 for the most recent earlier version of its path, 2 for the one before, …
     * @param replacedAt when it was replaced, epoch milliseconds
     * @param now        epoch milliseconds
     */
    public boolean keeps(int rank, long replacedAt, long now) {
        return rank <= keepVersions && now - replacedAt < keepFor.toMillis();
    }
}
