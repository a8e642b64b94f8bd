package io.syncedfolder.server.index;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Holds the latest entry of every path, found by path or walked in version order, and the earlier versions of each
 * path that have not been dropped yet; not thread-safe.
 */
final class EntryTable {
    private final Map<String, FileEntry> byPath = new HashMap<>();
    private final NavigableMap<Long, FileEntry> byVersion = new TreeMap<>();
    /** Each path's earlier versions, newest first; a path without any has no key. */
    private final Map<String, Deque<PastEntry>> history = new HashMap<>();
    /** Every earlier version by its version, to find the chunks of versions made after a given one. */
    private final NavigableMap<Long, PastEntry> pastByVersion = new TreeMap<>();

    /**
     * Makes {@code entry} the current entry of its path; the entry it replaces becomes the path's newest earlier
     * version, replaced at {@code time} (or at the previous replacement's time if the clock went back, so that the
     * times of a path's earlier versions never decrease from older to newer).
     */
    void put(FileEntry entry, long time) {
        FileEntry previous = byPath.put(entry.path(), entry);
        if (previous != null) {
            byVersion.remove(previous.version());
            Deque<PastEntry> past = history.computeIfAbsent(entry.path(), p -> new ArrayDeque<>(4));
            long replacedAt = past.isEmpty() ? time : Math.max(time, past.peekFirst().replacedAt());
            PastEntry replaced = new PastEntry(previous, replacedAt);
            past.addFirst(replaced);
            pastByVersion.put(previous.version(), replaced);
        }
        byVersion.put(entry.version(), entry);
    }

    /** Loads an earlier version from a snapshot; they must come oldest first, after the path's current entry. */
    void loadPast(PastEntry past) {
        history.computeIfAbsent(past.entry().path(), p -> new ArrayDeque<>(4)).addFirst(past);
        pastByVersion.put(past.entry().version(), past);
    }

    FileEntry get(String path) {
        return byPath.get(path);
    }

    /** Returns the earlier versions of {@code path} not dropped yet, newest first. */
    List<PastEntry> history(String path) {
        Deque<PastEntry> past = history.get(path);
        return past == null ? List.of() : List.copyOf(past);
    }

    /** Returns the paths that have earlier versions. */
    Set<String> pathsWithHistory() {
        return history.keySet();
    }

    /**
     * Drops the earlier versions of {@code path} that {@code policy} no longer keeps at {@code now}.
     *
     * @return how many were dropped
     */
    int prune(String path, RetentionPolicy policy, long now) {
        Deque<PastEntry> past = history.get(path);
        if (past == null) {
            return 0;
        }
        int dropped = 0;
        // Replacement times never decrease towards the newest, so what the policy drops is always the oldest end.
        while (!past.isEmpty() && !policy.keeps(past.size(), past.peekLast().replacedAt(), now)) {
            pastByVersion.remove(past.removeLast().entry().version());
            dropped++;
        }
        if (past.isEmpty()) {
            history.remove(path);
        }
        return dropped;
    }

    /** Drops every earlier version {@code policy} no longer keeps at {@code now}; returns how many. */
    int pruneAll(RetentionPolicy policy, long now) {
        int dropped = 0;
        for (String path : new ArrayList<>(history.keySet())) {
            dropped += prune(path, policy, now);
        }
        return dropped;
    }

    /** Returns a live view of the entries with a version above {@code version}, in version order. */
    Collection<FileEntry> after(long version) {
        return byVersion.tailMap(version, false).values();
    }

    /** Hands the chunk hashes of every current and earlier entry to {@code sink}, duplicates included. */
    void forEachChunk(Consumer<String> sink) {
        byVersion.values().forEach(entry -> chunks(entry, sink));
        pastByVersion.values().forEach(past -> chunks(past.entry(), sink));
    }

    /** Hands the chunk hashes of every entry, current or earlier, with a version above {@code version} to sink. */
    void forEachChunkAfter(long version, Consumer<String> sink) {
        byVersion.tailMap(version, false).values().forEach(entry -> chunks(entry, sink));
        pastByVersion.tailMap(version, false).values().forEach(past -> chunks(past.entry(), sink));
    }

    private static void chunks(FileEntry entry, Consumer<String> sink) {
        for (ChunkRef chunk : entry.chunks()) {
            sink.accept(chunk.sha256());
        }
    }

    List<FileEntry> inVersionOrder() {
        return new ArrayList<>(byVersion.values());
    }

    List<PastEntry> pastInVersionOrder() {
        return new ArrayList<>(pastByVersion.values());
    }

    int size() {
        return byPath.size();
    }

    int pastSize() {
        return pastByVersion.size();
    }
}
