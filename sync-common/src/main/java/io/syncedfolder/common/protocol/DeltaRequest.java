package io.syncedfolder.common.protocol;

/**
 * Asks for chunk {@code chunk} as a {@link DeltaFormat} delta against chunk {@code base}, which the asker holds
 * ({@code POST /blobs/delta}).
 */
public record DeltaRequest(String chunk, String base) {
}
