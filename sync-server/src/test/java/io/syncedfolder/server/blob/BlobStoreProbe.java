package io.syncedfolder.server.blob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lets tests in other packages see inside a {@link BlobStore}: its files and bundles, what it holds, and the folders it
 * has not flushed.
 */
public final class BlobStoreProbe {
    private BlobStoreProbe() {
    }

    /** Returns the folders with renames not yet flushed by {@link BlobStore#makeDurable()}. */
    public static Set<Path> unflushedDirectories(BlobStore store) {
        return store.unflushedDirectories();
    }

    /** Returns where the store in {@code root} keeps blob {@code sha256}. */
    public static Path blobFile(Path root, String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Returns the bytes {@code store} holds under {@code sha256}, read through the store, if any. */
    public static Optional<byte[]> content(BlobStore store, String sha256) throws IOException {
        Optional<BlobContent> blob = store.open(sha256);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try (BlobContent content = blob.get()) {
            return Optional.of(content.content().readAllBytes());
        }
    }

    /** Returns the bundle files of the store in {@code root}. */
    public static List<Path> bundleFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("bundles"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(BundleFormat.SUFFIX)).toList();
        }
    }

    /** Returns the uploads the store in {@code root} has not finished or cleaned up. */
    public static List<Path> tmpFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("tmp"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
