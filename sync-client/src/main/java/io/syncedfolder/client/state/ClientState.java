package io.syncedfolder.client.state;

import io.syncedfolder.common.FileEntry;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * This client's memory between passes: the base entry of every synced path, its copy of the server index,
 * and the change-feed cursor that copy is current to. Owned by one thread, the sync loop.
 */
public final class ClientState {
    private final TreeMap<String, BaseEntry> base = new TreeMap<>();
    private final TreeMap<String, FileEntry> remote = new TreeMap<>();
    private long cursor;
    private long lastSyncMillis;

    public ClientState() {
    }

    ClientState(long cursor, long lastSyncMillis, Iterable<FileEntry> remote, Iterable<BaseEntry> base) {
        this.cursor = cursor;
        this.lastSyncMillis = lastSyncMillis;
        remote.forEach(e -> this.remote.put(e.path(), e));
        base.forEach(e -> this.base.put(e.path(), e));
    }

    public long cursor() {
        return cursor;
    }

    /** Returns when the last pass ended in sync, epoch milliseconds, or 0 if never. */
    public long lastSyncMillis() {
        return lastSyncMillis;
    }

    public SortedMap<String, BaseEntry> base() {
        return Collections.unmodifiableSortedMap(base);
    }

    public SortedMap<String, FileEntry> remote() {
        return Collections.unmodifiableSortedMap(remote);
    }

    /** Takes in entries from the server (the change feed or a commit answer), keeping the newest per path. */
    public void applyRemote(Iterable<FileEntry> entries) {
        for (FileEntry entry : entries) {
            remote.merge(entry.path(), entry, (old, neu) -> neu.version() >= old.version() ? neu : old);
        }
    }

    public void advanceCursor(long newCursor) {
        cursor = Math.max(cursor, newCursor);
    }

    public void recordBase(BaseEntry entry) {
        base.put(entry.path(), entry);
    }

    public void forgetBase(String path) {
        base.remove(path);
    }

    public void markSynced(long nowMillis) {
        lastSyncMillis = nowMillis;
    }

    /** Forgets everything learned from the server, for a server that lost or replaced its data. */
    public void resetRemote() {
        cursor = 0;
        remote.clear();
        base.clear();
    }
}
