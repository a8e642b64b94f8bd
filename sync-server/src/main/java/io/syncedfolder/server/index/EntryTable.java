package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Holds the latest entry of every path, found by path or walked in version order; not thread-safe. */
final class EntryTable {
    private final Map<String, FileEntry> byPath = new HashMap<>();
    private final NavigableMap<Long, FileEntry> byVersion = new TreeMap<>();

    /** Makes {@code entry} the current entry of its path, replacing the older one. */
    void put(FileEntry entry) {
        FileEntry previous = byPath.put(entry.path(), entry);
        if (previous != null) {
            byVersion.remove(previous.version());
        }
        byVersion.put(entry.version(), entry);
    }

    FileEntry get(String path) {
        return byPath.get(path);
    }

    /** Returns a live view of the entries with a version above {@code version}, in version order. */
    Collection<FileEntry> after(long version) {
        return byVersion.tailMap(version, false).values();
    }

    List<FileEntry> inVersionOrder() {
        return new ArrayList<>(byVersion.values());
    }

    int size() {
        return byPath.size();
    }
}
