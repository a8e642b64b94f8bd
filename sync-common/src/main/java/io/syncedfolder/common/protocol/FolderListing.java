package io.syncedfolder.common.protocol;

import java.util.List;

/**
 * The answer to {@code GET /files?dir=D}: what a folder holds now, folders first, then files, each by name.
 *
 * @param dir     the folder listed, {@code ""} for the top of the synced folder
 * @param entries its live files and folders; deleted ones are in the trash, not here
 */
public record FolderListing(String dir, List<ListedEntry> entries) {
    public FolderListing {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
