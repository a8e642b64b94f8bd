package io.syncedfolder.server.index;

import java.util.Collections;
import java.util.Set;

/**
 * The chunks an index referred to at one moment: those of every current entry and every kept earlier version.
 *
 * @param sequence the index's sequence number at that moment; a chunk referred to later is in
 *                 {@link FileIndex#chunksCommittedAfter}{@code (sequence)}
 * @param hashes   the SHA-256 of every referenced chunk
 */
public record ReferenceMark(long sequence, Set<String> hashes) {
    public ReferenceMark {
        // Not copied: the set can hold millions of hashes, and only the index makes one.
        hashes = Collections.unmodifiableSet(hashes);
    }
}
