package io.syncedfolder.client.conflicts;

/**
 * One conflict copy in the folder.
 *
 * @param path           the copy, relative to the folder (NFC)
 * @param original       the file it conflicts with: the copy's name without the conflict part
 * @param originalExists true if that file is in the folder now
 * @param time           when the copy was made, from its name, as ISO {@code 2026-11-22T03:15:00} (local time
 *                       of the device that made it, which the name does not record)
 * @param device         the device whose version the copy holds, from its name
 * @param size           the copy's size in bytes
 */
public record ConflictCopy(String path, String original, boolean originalExists, String time, String device,
                           long size) {
}
