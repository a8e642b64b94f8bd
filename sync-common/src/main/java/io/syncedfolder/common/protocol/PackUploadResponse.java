package io.syncedfolder.common.protocol;

/**
 * The answer to {@code POST /blobs/pack}: how many of the pack's chunks were new to the server and how many it
 * already held.
 */
public record PackUploadResponse(int stored, int alreadyPresent) {
}
