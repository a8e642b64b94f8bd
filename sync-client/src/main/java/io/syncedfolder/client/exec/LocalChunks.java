package io.syncedfolder.client.exec;

import io.syncedfolder.client.remote.FileRange;
import io.syncedfolder.common.ChunkRef;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers where chunks this client already holds lie on disk — in files of the folder, in chunks fetched
 * ahead into the staging area — so a download copies them instead of fetching them again.
 *
 * <p>A location is a hint, not a promise: the file may have changed since, so whoever reads a chunk from it
 * checks the chunk's SHA-256. Safe for use from several transfer threads.
 */
final class LocalChunks {
    private final Map<String, FileRange> locations = new HashMap<>();
    private final Map<String, Integer> stagedUses = new HashMap<>();

    /** Notes that {@code file} holds {@code chunks}, in order, from its start. */
    synchronized void addFile(Path file, List<ChunkRef> chunks) {
        FileRange.layout(file, chunks).forEach(this::add);
    }

    /** Notes that {@code range} holds a chunk, unless another location of it is known already. */
    synchronized void add(FileRange range) {
        locations.putIfAbsent(range.chunk().sha256(), range);
    }

    /** Notes a chunk fetched ahead into {@code file}, wanted by {@code uses} downloads of this pass. */
    synchronized void addStaged(ChunkRef chunk, Path file, int uses) {
        locations.put(chunk.sha256(), new FileRange(chunk, file, 0));
        stagedUses.put(chunk.sha256(), uses);
    }

    synchronized Optional<FileRange> find(String sha256) {
        return Optional.ofNullable(locations.get(sha256));
    }

    synchronized boolean has(String sha256) {
        return locations.containsKey(sha256);
    }

    /**
     * Returns the staged file of a chunk if this is its last use in the pass, so the caller may move the file
     * instead of copying it; the chunk is then forgotten. Otherwise counts one use and returns empty.
     */
    synchronized Optional<Path> takeStaged(String sha256) {
        Integer uses = stagedUses.get(sha256);
        if (uses == null) {
            return Optional.empty();
        }
        if (uses > 1) {
            stagedUses.put(sha256, uses - 1);
            return Optional.empty();
        }
        stagedUses.remove(sha256);
        return Optional.of(locations.remove(sha256).file());
    }

    /** Notes that the chunks known in {@code from} now lie at the same places in {@code to}. */
    synchronized void moved(Path from, Path to) {
        locations.replaceAll((sha256, range) ->
                range.file().equals(from) ? new FileRange(range.chunk(), to, range.offset()) : range);
    }

    /** Forgets every location inside {@code file}, e.g. a part file that was just moved into place. */
    synchronized void forget(Path file) {
        locations.values().removeIf(range -> range.file().equals(file));
    }
}
