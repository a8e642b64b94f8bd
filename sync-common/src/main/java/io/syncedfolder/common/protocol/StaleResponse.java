package io.syncedfolder.common.protocol;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/**
 * The 409 answer to a commit whose base versions are no longer current: nothing was applied.
 *
 * @param current the current entries of the stale paths (a path the server has never seen is absent)
 */
public record StaleResponse(String error, String detail, List<String> stalePaths, List<FileEntry> current) {
    public StaleResponse {
        stalePaths = stalePaths == null ? List.of() : List.copyOf(stalePaths);
        current = current == null ? List.of() : List.copyOf(current);
    }
}
