package io.syncedfolder.client.safety;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The folder, or its {@code .sync} state, vanished although it was synced before: most likely a drive that is
 * not mounted, not a user who deleted everything. Syncing now would spread the "deletion" everywhere.
 */
public final class FolderGoneException extends IOException {
    public FolderGoneException(Path folder, boolean folderMissing) {
        super((folderMissing
                ? "the folder " + folder + " was synced before but is missing now"
                : "the folder " + folder + " was synced before but its .sync state folder is missing now")
                + " (is its drive mounted?); nothing was changed. If you removed it on purpose, run once with "
                + "--recreate-folder to sync it as a new folder (nothing is deleted anywhere then; files that "
                + "differ become conflict copies)");
    }
}
