package io.syncedfolder.client.remote;

import io.syncedfolder.common.ChunkRef;
import java.io.IOException;
import java.io.InputStream;

/** Receives the chunks of a fetched pack one at a time, in the order they were asked for. */
@FunctionalInterface
public interface ChunkSink {
    /** Consumes {@code chunk}'s bytes from {@code content}; an exception abandons the rest of the pack. */
    void accept(ChunkRef chunk, InputStream content) throws IOException;
}
