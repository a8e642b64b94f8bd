package io.syncedfolder.server.blob;

import java.nio.file.Path;
import java.util.Set;

/** Lets tests in other packages see which folders a {@link BlobStore} has not flushed yet. */
public final class BlobStoreProbe {
    private BlobStoreProbe() {
    }

    /** Returns the folders with renames not yet flushed by {@link BlobStore#makeDurable()}. */
    public static Set<Path> unflushedDirectories(BlobStore store) {
        return store.unflushedDirectories();
    }
}
