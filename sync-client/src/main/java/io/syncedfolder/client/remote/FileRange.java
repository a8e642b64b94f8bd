package io.syncedfolder.client.remote;

import io.syncedfolder.common.ChunkRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A chunk's bytes as they lie on disk: {@code chunk.size()} bytes of {@code file} from {@code offset}. */
public record FileRange(ChunkRef chunk, Path file, long offset) {

    /** Returns where {@code chunks}, held by {@code file} in order from its start, lie in it. */
    public static List<FileRange> layout(Path file, List<ChunkRef> chunks) {
        List<FileRange> ranges = new ArrayList<>(chunks.size());
        long offset = 0;
        for (ChunkRef chunk : chunks) {
            ranges.add(new FileRange(chunk, file, offset));
            offset += chunk.size();
        }
        return ranges;
    }
}
