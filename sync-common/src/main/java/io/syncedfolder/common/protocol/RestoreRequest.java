package io.syncedfolder.common.protocol;

/**
 * Asks the server to make an earlier version of a file its current version again ({@code POST /restore}).
 *
 * @param path    the file's path
 * @param version the version to bring back; null for the newest kept version with content other than the current
 *                one (for a deleted file: its last version before the deletion)
 */
public record RestoreRequest(String path, Long version) {
}
