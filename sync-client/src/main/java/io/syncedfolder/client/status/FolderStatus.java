package io.syncedfolder.client.status;

import java.util.List;

/**
 * What {@code sync-client status} reports about a folder.
 *
 * @param serverChecked  true if the server was asked for changes just now; false if only the state was read
 * @param lastSyncMillis when a pass last ended in sync, epoch milliseconds (0: never)
 * @param leftForLater   paths that exist but cannot be synced yet (still being written, unreadable)
 * @param problems       what kept the latest pass from being in sync, or why the server was not asked
 */
public record FolderStatus(
        String folder,
        String server,
        boolean serverChecked,
        String device,
        long lastSyncMillis,
        boolean inSync,
        int toUpload,
        int toDownload,
        int toDeleteHere,
        int toDeleteOnServer,
        int conflicts,
        List<String> leftForLater,
        List<String> problems) {

    public FolderStatus {
        leftForLater = List.copyOf(leftForLater);
        problems = List.copyOf(problems);
    }

    public int pending() {
        return toUpload + toDownload + toDeleteHere + toDeleteOnServer + conflicts;
    }
}
