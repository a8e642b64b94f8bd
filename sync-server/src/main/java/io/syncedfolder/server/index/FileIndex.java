package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Holds one namespace's index: the latest entry of every path (tombstones included), the earlier versions of each
 * path its {@link RetentionPolicy} keeps, and the global sequence number that versions them.
 *
 * <p>Implementations serialize commits (one writer at a time) and allow reads from any thread while a commit
 * runs. An accepted commit is durable before {@link #commit} returns, and only then are
 * {@link SequenceListener}s told about it. Inputs are trusted: the caller has already validated paths and
 * content (see {@code CommitService}).
 */
public interface FileIndex extends AutoCloseable {

    /** Returns the version of the latest accepted change, 0 for an empty index. */
    long sequence();

    /** Returns how many paths the index holds, deleted ones (tombstones) included. */
    int size();

    /** Returns the current entry of every path, tombstones included, in version order: a copy, read at one moment. */
    List<FileEntry> currentEntries();

    /**
     * Returns the current entry of every path whose version is greater than {@code since}, in version order,
     * at most {@code limit} of them.
     *
     * <p>The cursor is the version of the last returned entry when the page was cut at the limit, otherwise
     * the current sequence, so a client that passes it back as {@code since} misses nothing.
     */
    ChangesResponse changesSince(long since, int limit);

    /** Returns the current entry of {@code path}, a tombstone if it was deleted, or empty if never seen. */
    Optional<FileEntry> get(String path);

    /**
     * Returns {@code path}'s current entry and the earlier versions the retention policy keeps at {@code now}
     * (epoch milliseconds), or empty if the index never had the path.
     */
    Optional<PathHistory> history(String path, long now);

    /**
     * Returns the history of every deleted path that still has a kept earlier version with content (a live file):
     * the files a restore can bring back, in no particular order.
     */
    List<PathHistory> trash(long now);

    /**
     * Drops every earlier version the retention policy no longer keeps at {@code now}; commits already drop those
     * of the paths they change.
     *
     * @return how many versions were dropped
     */
    int sweep(long now) throws IOException;

    /**
     * Returns every chunk the index refers to now (current entries and earlier versions not dropped yet), after
     * making sure no version dropped before this call can come back after a restart: a collector may delete the
     * chunks of anything not in the answer.
     */
    ReferenceMark markReferenced() throws IOException;

    /**
     * Returns the chunks of every entry, current or earlier, with a version above {@code sequence}: with a
     * {@link ReferenceMark} taken at {@code sequence}, everything the index can refer to now.
     */
    Set<String> chunksCommittedAfter(long sequence);

    /**
     * Returns this index's identity: made when the index is created and never changed, so a client that sees
     * a different one knows the server's data was lost or replaced and compares everything afresh.
     */
    String id();

    /**
     * Applies all {@code changes} or none: if any change's base version is not the current version of its
     * path (0 for an unknown path), returns {@link CommitOutcome.Stale} and changes nothing; otherwise gives
     * each change the next sequence number in request order and returns {@link CommitOutcome.Accepted}. Each
     * entry a change replaces becomes an earlier version of its path, replaced at {@code now}.
     *
     * @param changes validated changes, each path at most once
     * @param device  the device that made the changes, recorded in every new entry
     * @param now     the commit time in epoch milliseconds, recorded with the commit
     */
    CommitOutcome commit(List<Change> changes, String device, long now) throws IOException;

    /**
     * Starts telling {@code listener} about every commit accepted from now on: by this process, or, for an
     * index shared between server instances (a database's LISTEN/NOTIFY), by any of them. A listener that
     * throws is logged and otherwise ignored; the commit stands.
     */
    void addSequenceListener(SequenceListener listener);

    /** Stops telling {@code listener} about commits; does nothing if it was not added. */
    void removeSequenceListener(SequenceListener listener);

    /** Releases the index's files; later calls fail. */
    @Override
    void close() throws IOException;

    /**
     * Returns the entry a validated change becomes at {@code version}: a deletion becomes a tombstone that
     * keeps only the kind and modification time.
     */
    static FileEntry entryFor(Change change, long version, String device) {
        if (change.deleted()) {
            return new FileEntry(change.path(), change.kind(), true, version, null, 0, change.mtime(), false,
                    List.of(), device);
        }
        return new FileEntry(change.path(), change.kind(), false, version, change.sha256(), change.size(),
                change.mtime(), change.executable(), change.chunks(), device);
    }
}
