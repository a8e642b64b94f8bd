package io.syncedfolder.common.protocol;

/**
 * A deleted file that can still be restored.
 *
 * @param path           the deleted path
 * @param deletedVersion the version of the deletion (the path's current version)
 * @param deletedAt      when the server accepted the deletion, epoch milliseconds
 * @param device         the device that deleted it
 * @param lastVersion    the newest kept version with content: what {@code POST /restore} without a version
 *                       brings back
 */
public record TrashItem(String path, long deletedVersion, long deletedAt, String device, VersionInfo lastVersion) {
}
