package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Holds one namespace's index: the latest entry of every path (tombstones included) and the global sequence
 * number that versions them.
 *
 * <p>Implementations serialize commits (one writer at a time) and allow reads from any thread while a commit
 * runs. An accepted commit is durable before {@link #commit} returns, and only then are
 * {@link SequenceListener}s told about it. Inputs are trusted: the caller has already validated paths and
 * content (see {@code CommitService}).
 */
public interface FileIndex extends AutoCloseable {

    /** Returns the version of the latest accepted change, 0 for an empty index. */
    long sequence();

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
     * Returns this index's identity: made when the index is created and never changed, so a client that sees
     * a different one knows the server's data was lost or replaced and compares everything afresh.
     */
    String id();

    /**
     * Applies all {@code changes} or none: if any change's base version is not the current version of its
     * path (0 for an unknown path), returns {@link CommitOutcome.Stale} and changes nothing; otherwise gives
     * each change the next sequence number in request order and returns {@link CommitOutcome.Accepted}.
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
