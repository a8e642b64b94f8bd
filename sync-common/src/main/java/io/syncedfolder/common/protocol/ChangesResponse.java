package io.syncedfolder.common.protocol;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/**
 * The change feed: the current entry of every path changed after {@code since}, in version order.
 *
 * @param cursor the value to pass as {@code since} next time
 * @param more   true if the answer was cut at the limit and another request will return more
 */
public record ChangesResponse(long cursor, boolean more, List<FileEntry> entries) {
    public ChangesResponse {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
