package io.syncedfolder.common.protocol;

import io.syncedfolder.common.EntryKind;

/**
 * One file or folder in a {@link FolderListing}.
 *
 * @param name    the last segment of the path
 * @param path    the full relative path, to pass to other routes
 * @param kind    file or directory
 * @param size    file size in bytes; 0 for folders
 * @param mtime   modification time in epoch milliseconds; 0 for a folder the index only knows from paths inside it
 * @param version the entry's version; 0 for a folder the index only knows from paths inside it
 * @param device  the device that made the entry's current version; absent for such an implied folder
 */
public record ListedEntry(String name, String path, EntryKind kind, long size, long mtime, long version,
                          String device) {
}
