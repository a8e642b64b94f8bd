package io.syncedfolder.client.remote;

import io.syncedfolder.common.ChunkRef;
import java.nio.file.Path;

/** A chunk's bytes as they lie on disk: {@code chunk.size()} bytes of {@code file} from {@code offset}. */
public record FileRange(ChunkRef chunk, Path file, long offset) {
}
