package io.syncedfolder.common.protocol;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/** The accepted batch: the new entries in request order, and the sequence number after them. */
public record CommitResponse(long cursor, List<FileEntry> entries) {
    public CommitResponse {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
