package io.syncedfolder.client.safety;

import io.syncedfolder.client.plan.Action;
import io.syncedfolder.client.plan.Action.DeleteLocal;
import io.syncedfolder.client.plan.Action.DeleteRemote;
import io.syncedfolder.client.plan.Plan;
import io.syncedfolder.common.EntryKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Stops a pass that would delete most of the synced files in one go, in either direction: files missing here
 * (a folder that looks emptied because a drive or network share is gone) or files deleted on the server (the
 * same accident on another device). Pure: it only reads the plan.
 *
 * <p>A pass trips the breaker when it would delete more than {@link #MIN_FILES} files and more than
 * {@code maxPercent} percent of the files this client has synced.
 */
public final class DeletionBreaker {
    public static final int MIN_FILES = 10;

    private final int maxPercent;

    public DeletionBreaker(int maxPercent) {
        this.maxPercent = maxPercent;
    }

    /**
     * Returns why the plan must not run (one line per direction that trips), or nothing if it may.
     *
     * @param syncedFiles counts the files this client has synced (its base); asked only when the plan deletes
     *                    more than {@link #MIN_FILES} files
     */
    public List<String> check(Plan plan, LongSupplier syncedFiles) {
        int outgoing = 0;
        int incoming = 0;
        Set<String> deletedBy = new TreeSet<>();
        for (Action action : plan.actions()) {
            if (action instanceof DeleteRemote delete && delete.kind() == EntryKind.FILE) {
                outgoing++;
            } else if (action instanceof DeleteLocal delete && !delete.expected().isDirectory()) {
                incoming++;
                String device = delete.tombstone().device();
                deletedBy.add(device == null ? "another device" : device);
            }
        }
        if (outgoing <= MIN_FILES && incoming <= MIN_FILES) {
            return List.of();
        }
        return refusals(outgoing, incoming, deletedBy, syncedFiles.getAsLong());
    }

    private List<String> refusals(int outgoing, int incoming, Set<String> deletedBy, long syncedFiles) {
        List<String> refusals = new ArrayList<>();
        if (trips(outgoing, syncedFiles)) {
            refusals.add(String.format(Locale.ROOT,
                    "stopped before deleting %,d of %,d synced files on the server (%s): they are missing from this "
                            + "folder. If its drive or share is not mounted, mount it and sync again; if you deleted "
                            + "them on purpose, sync once with --allow-mass-delete",
                    outgoing, syncedFiles, share(outgoing, syncedFiles)) + limit());
        }
        if (trips(incoming, syncedFiles)) {
            refusals.add(String.format(Locale.ROOT,
                    "stopped before deleting %,d of %,d synced files here (%s): they were deleted on %s. If that "
                            + "was a mistake, restore them there (the server keeps deleted files); if it was meant, "
                            + "sync once with --allow-mass-delete",
                    incoming, syncedFiles, share(incoming, syncedFiles), String.join(", ", deletedBy))
                    + limit());
        }
        return refusals;
    }

    private boolean trips(int deletions, long syncedFiles) {
        return deletions > MIN_FILES && deletions * 100L > maxPercent * syncedFiles;
    }

    private static String share(int deletions, long syncedFiles) {
        // Rounded up, so a share just over the limit never reads as the limit itself.
        return syncedFiles == 0 ? "all" : ((deletions * 100L + syncedFiles - 1) / syncedFiles) + " %";
    }

    private String limit() {
        return " (the limit is more than " + maxPercent + " % and more than " + MIN_FILES
                + " files in one pass; --max-delete-percent changes it)";
    }
}
