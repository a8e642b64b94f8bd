package io.syncedfolder.client.state;

import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * This client's memory between passes: the base entry of every synced path, its copy of the server index,
 * and the change-feed cursor that copy is current to. Owned by one thread, the sync loop.
 */
public final class ClientState {
    private final PathMap<BaseEntry> base;
    private final PathMap<FileEntry> remote;
    private volatile long cursor;
    private String indexId;
    private boolean dirty;

    public ClientState() {
        this.base = new PathMap<>(BaseEntry::path);
        this.remote = new PathMap<>(FileEntry::path);
    }

    /** The state as loaded; of two entries with one path, the later is kept. */
    ClientState(String indexId, long cursor, List<FileEntry> remote, List<BaseEntry> base) {
        this.indexId = indexId;
        this.cursor = cursor;
        this.remote = new PathMap<>(remote, FileEntry::path);
        this.base = new PathMap<>(base, BaseEntry::path);
    }

    /** Returns the identity of the server index this state was learned from, or null if not known yet. */
    public String indexId() {
        return indexId;
    }

    public void setIndexId(String id) {
        if (!java.util.Objects.equals(indexId, id)) {
            indexId = id;
            dirty = true;
        }
    }

    /** Returns the change-feed cursor; safe to read from any thread. */
    public long cursor() {
        return cursor;
    }

    public SortedMap<String, BaseEntry> base() {
        return Collections.unmodifiableSortedMap(base);
    }

    /** Returns how many files (not folders) this client has synced. */
    public long baseFileCount() {
        return base.values().stream().filter(b -> b.kind() == EntryKind.FILE).count();
    }

    public SortedMap<String, FileEntry> remote() {
        return Collections.unmodifiableSortedMap(remote);
    }

    /** Takes in entries from the server (the change feed or a commit answer), keeping the newest per path. */
    public void applyRemote(Iterable<FileEntry> entries) {
        for (FileEntry entry : entries) {
            FileEntry known = remote.get(entry.path());
            if (known == null || entry.version() > known.version()) {
                remote.put(entry.path(), entry);
                dirty = true;
            }
        }
    }

    public void advanceCursor(long newCursor) {
        if (newCursor > cursor) {
            cursor = newCursor;
            dirty = true;
        }
    }

    public void recordBase(BaseEntry entry) {
        if (!entry.equals(base.get(entry.path()))) { // an unchanged entry leaves the map as loaded
            base.put(entry.path(), entry);
            dirty = true;
        }
    }

    public void forgetBase(String path) {
        dirty |= base.remove(path) != null;
    }

    /** Forgets everything learned from the server, for a server that lost or replaced its data. */
    public void resetRemote() {
        cursor = 0;
        remote.clear();
        base.clear();
        dirty = true;
    }

    /** Returns true if something changed since the last {@link #markSaved()}. */
    public boolean dirty() {
        return dirty;
    }

    /** Marks the state as needing a save although nothing in it changed, e.g. to rewrite it in a new format. */
    void markChanged() {
        dirty = true;
    }

    public void markSaved() {
        dirty = false;
    }
}
