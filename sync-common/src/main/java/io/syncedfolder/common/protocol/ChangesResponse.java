package io.syncedfolder.common.protocol;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/**
 * The change feed: the current entry of every path changed after {@code since}, in version order.
 *
 * @param cursor  the value to pass as {@code since} next time
 * @param more    true if the answer was cut at the limit and another request will return more
 * @param indexId identifies the server's index; it changes only if the index is created anew (data lost or
 *                replaced), and then every cursor and version a client remembers is meaningless
 */
public record ChangesResponse(long cursor, boolean more, List<FileEntry> entries, String indexId) {
    public ChangesResponse {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    public ChangesResponse(long cursor, boolean more, List<FileEntry> entries) {
        this(cursor, more, entries, null);
    }
}
