package io.syncedfolder.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;

/**
 * One version of a path as the history shows it: what it was, who made it, and when a later version replaced it.
 * Every field is always present in JSON, {@code null} included, so the shape of a listing does not depend on the
 * kind of entry.
 *
 * @param version    the sequence number that produced this version
 * @param kind       file or directory
 * @param deleted    true for a deletion (tombstone)
 * @param size       file size in bytes; 0 for directories and deletions
 * @param mtime      the modification time the version carried, epoch milliseconds
 * @param sha256     whole-file SHA-256; null for directories and deletions
 * @param device     the device that made the change
 * @param replacedAt when the server accepted the change that replaced this version, epoch milliseconds; null for
 *                   the current version
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VersionInfo(long version, EntryKind kind, boolean deleted, long size, long mtime, String sha256,
                          String device, Long replacedAt) {

    /** Returns the listing of {@code entry}, replaced at {@code replacedAt} (null: it is current). */
    public static VersionInfo of(FileEntry entry, Long replacedAt) {
        return new VersionInfo(entry.version(), entry.kind(), entry.deleted(), entry.size(), entry.mtime(),
                entry.sha256(), entry.device(), replacedAt);
    }
}
