package io.syncedfolder.client.exec;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.protocol.DeltaFormat;
import java.util.List;

/**
 * Decides which chunks travel as deltas ({@link DeltaFormat}), either way: the large chunks of a file that looks
 * edited, each against the chunk of the file's other version that it most likely edits.
 */
final class DeltaBases {
    /** Chunks smaller than this travel whole: a delta would save little and take a request of its own. */
    static final long MIN_BYTES = 64L * 1024;

    private DeltaBases() {
    }

    /**
     * Returns whether a file of {@code size} bytes, of which {@code transferBytes} must travel, looks like an edit
     * of the other version: at least half of it is there already. A file rewritten as a whole (a new video under
     * an old name) travels in packs, not chunk by chunk as deltas that would save nothing.
     */
    static boolean isEdit(long transferBytes, long size) {
        return transferBytes * 2 <= size;
    }

    /**
     * Returns the index in {@code other} (a version's chunks in file order) of the chunk that overlaps the
     * {@code size} bytes from {@code position} most, or -1 if none does or the chunk is too small or too large
     * for a delta.
     */
    static int baseOf(List<ChunkRef> other, long position, long size) {
        if (size < MIN_BYTES || size > DeltaFormat.MAX_CHUNK_BYTES) {
            return -1;
        }
        int best = -1;
        long most = 0;
        long offset = 0;
        for (int i = 0; i < other.size() && offset < position + size; i++) {
            ChunkRef candidate = other.get(i);
            long overlap = Math.min(offset + candidate.size(), position + size) - Math.max(offset, position);
            if (overlap > most && candidate.size() <= DeltaFormat.MAX_CHUNK_BYTES) {
                best = i;
                most = overlap;
            }
            offset += candidate.size();
        }
        return best;
    }
}
