package io.syncedfolder.server.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import java.util.UUID;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one namespace's index in memory and on disk as {@value #SNAPSHOT} plus an append-only
 * {@value #JOURNAL}, the default {@link FileIndex}.
 *
 * <p>Every accepted commit is one journal line, fsynced before the commit is acknowledged and before readers
 * can see it (a reader must never see a version that a crash could take back). When the journal reaches its
 * {@link JournalLimits}, the whole index is written as a new snapshot (temporary file, fsync, rename) and the
 * journal is emptied; replay skips journal entries the snapshot already holds, so a crash between those two
 * steps is harmless.
 *
 * <p>Earlier versions are not journaled: each journal line carries its commit time, so replay rebuilds them
 * exactly as the commits made them, and the {@link RetentionPolicy} drops the same ones again. Only a version
 * dropped because of a stricter policy or the passing of time could differ, and it could only come back (after a
 * restart with a more generous policy), never be lost; {@link #markReferenced()} writes a snapshot first whenever
 * versions were dropped since the last one, so a version whose chunks may be collected never comes back either.
 * A snapshot written before history existed loads with none.
 *
 * <p>{@link SequenceListener}s run on the committing thread, after the journal line is fsynced and the entries
 * are visible, one commit at a time and so in sequence order.
 *
 * <p>One process per directory: the caller makes sure of it ({@code SyncServer} locks the data directory).
 */
public final class JsonFileIndex implements FileIndex {
    static final String SNAPSHOT = "snapshot.json";
    static final String JOURNAL = "journal.jsonl";
    static final String ID = "index.id";
    private static final Logger LOG = LoggerFactory.getLogger(JsonFileIndex.class);

    private final Path dir;
    private final String id;
    private final JournalLimits limits;
    private final RetentionPolicy retention;
    private final EntryTable table;
    private final Journal journal;
    private final ReentrantLock writer = new ReentrantLock();
    private final ReadWriteLock state = new ReentrantReadWriteLock();
    private final List<SequenceListener> listeners = new CopyOnWriteArrayList<>();
    private long sequence;
    /** Versions were dropped since the last snapshot; guarded by the writer lock. */
    private boolean droppedSinceSnapshot;
    private boolean closed;

    private JsonFileIndex(Path dir, String id, JournalLimits limits, RetentionPolicy retention, EntryTable table,
                          long sequence, Journal journal) {
        this.dir = dir;
        this.id = id;
        this.limits = limits;
        this.retention = retention;
        this.table = table;
        this.sequence = sequence;
        this.journal = journal;
    }

    /**
     * Opens the index in {@code dir} with the default journal limits and retention, creating an empty one if
     * needed.
     */
    public static JsonFileIndex open(Path dir) throws IOException {
        return open(dir, JournalLimits.DEFAULT, RetentionPolicy.DEFAULT);
    }

    /** Opens the index in {@code dir} with the default retention, creating an empty one if needed. */
    public static JsonFileIndex open(Path dir, JournalLimits limits) throws IOException {
        return open(dir, limits, RetentionPolicy.DEFAULT);
    }

    /**
     * Opens the index in {@code dir}: loads the snapshot and replays the journal, creating an empty index if
     * there is none.
     *
     * @throws IndexCorruptException if the snapshot or a journal line other than the last cannot be read
     */
    public static JsonFileIndex open(Path dir, JournalLimits limits, RetentionPolicy retention) throws IOException {
        Files.createDirectories(dir);
        removeLeftoverTemporaries(dir);
        String id = readOrCreateId(dir.resolve(ID));
        Snapshot snapshot = readSnapshot(dir.resolve(SNAPSHOT));
        EntryTable table = new EntryTable();
        snapshot.entries().forEach(entry -> table.put(entry, 0));
        snapshot.history().forEach(table::loadPast);
        Replay replay = new Replay(dir.resolve(JOURNAL), snapshot.sequence(), table, retention);
        Journal journal = Journal.open(dir.resolve(JOURNAL), replay::apply);
        JsonFileIndex index = new JsonFileIndex(dir, id, limits, retention, table, replay.sequence, journal);
        LOG.info("opened index {} at version {} ({} paths, {} earlier versions)", dir, replay.sequence, table.size(),
                table.pastSize());
        index.writer.lock();
        try {
            index.droppedSinceSnapshot = replay.dropped > 0;
            index.compactIfDue();
        } finally {
            index.writer.unlock();
        }
        return index;
    }

    /** Returns the index's identity, made once when the index is first created. */
    private static String readOrCreateId(Path file) throws IOException {
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        AtomicFiles.writeBytes(file, id.getBytes(StandardCharsets.UTF_8));
        return id;
    }

    @Override
    public String id() {
        return id;
    }

    private static Snapshot readSnapshot(Path file) throws IOException {
        if (Files.notExists(file)) {
            return Snapshot.EMPTY;
        }
        Snapshot snapshot;
        try {
            snapshot = Json.mapper().readValue(file.toFile(), Snapshot.class);
        } catch (JsonProcessingException e) {
            throw new IndexCorruptException(file, "unreadable snapshot (" + e.getOriginalMessage() + ")", e);
        }
        if (snapshot == null) {
            throw new IndexCorruptException(file, "the snapshot is empty", null);
        }
        Map<String, Long> paths = new HashMap<>();
        Set<Long> versions = new HashSet<>();
        for (FileEntry entry : snapshot.entries()) {
            checkVersion(file, entry, snapshot.sequence());
            if (paths.put(entry.path(), entry.version()) != null || !versions.add(entry.version())) {
                throw new IndexCorruptException(file, "entry " + entry.path() + " (version " + entry.version()
                        + ") appears twice", null);
            }
        }
        Map<String, PastEntry> newestPast = new HashMap<>();
        for (PastEntry past : snapshot.history()) {
            FileEntry entry = past.entry();
            checkVersion(file, entry, snapshot.sequence());
            if (!versions.add(entry.version())) {
                throw new IndexCorruptException(file, "earlier version " + entry.version() + " of " + entry.path()
                        + " appears twice", null);
            }
            Long current = paths.get(entry.path());
            PastEntry previous = newestPast.put(entry.path(), past);
            if (current == null || current < entry.version()
                    || previous != null && (previous.entry().version() > entry.version()
                    || previous.replacedAt() > past.replacedAt())) {
                throw new IndexCorruptException(file, "earlier version " + entry.version() + " of " + entry.path()
                        + " is out of order", null);
            }
        }
        return snapshot;
    }

    private static void checkVersion(Path file, FileEntry entry, long sequence) throws IndexCorruptException {
        if (entry.version() < 1 || entry.version() > sequence) {
            throw new IndexCorruptException(file, "entry " + entry.path() + " has version " + entry.version()
                    + " outside 1.." + sequence, null);
        }
    }

    /** Deletes snapshot temporaries a crash left behind; they were never renamed into place. */
    private static void removeLeftoverTemporaries(Path dir) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "." + SNAPSHOT + ".*.tmp")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Applies journal records on top of the snapshot at start-up, checking that versions follow each other. */
    private static final class Replay {
        private final Path journal;
        private final long snapshotSequence;
        private final EntryTable table;
        private final RetentionPolicy retention;
        private long sequence;
        private int dropped;

        Replay(Path journal, long snapshotSequence, EntryTable table, RetentionPolicy retention) {
            this.journal = journal;
            this.snapshotSequence = snapshotSequence;
            this.table = table;
            this.retention = retention;
            this.sequence = snapshotSequence;
        }

        void apply(JournalRecord record, long line) throws IndexCorruptException {
            for (FileEntry entry : record.entries()) {
                // Left over from a crash between writing a snapshot and emptying the journal.
                if (entry.version() <= snapshotSequence) {
                    continue;
                }
                if (entry.version() != sequence + 1) {
                    throw new IndexCorruptException(journal, line,
                            "version " + entry.version() + " follows version " + sequence, null);
                }
                // The same steps, with the same time, as when the commit was accepted.
                table.put(entry, record.time());
                dropped += table.prune(entry.path(), retention, record.time());
                sequence = entry.version();
            }
        }
    }

    @Override
    public long sequence() {
        state.readLock().lock();
        try {
            return sequence;
        } finally {
            state.readLock().unlock();
        }
    }

    @Override
    public int size() {
        state.readLock().lock();
        try {
            return table.size();
        } finally {
            state.readLock().unlock();
        }
    }

    @Override
    public List<FileEntry> currentEntries() {
        state.readLock().lock();
        try {
            return List.copyOf(table.after(0));
        } finally {
            state.readLock().unlock();
        }
    }

    @Override
    public ChangesResponse changesSince(long since, int limit) {
        if (since < 0 || limit < 1) {
            throw new IllegalArgumentException("since must be >= 0 and limit >= 1: " + since + ", " + limit);
        }
        state.readLock().lock();
        try {
            List<FileEntry> page = new ArrayList<>(Math.min(limit, 1024));
            for (FileEntry entry : table.after(since)) {
                if (page.size() == limit) {
                    return new ChangesResponse(page.get(page.size() - 1).version(), true, page, id);
                }
                page.add(entry);
            }
            return new ChangesResponse(sequence, false, page, id);
        } finally {
            state.readLock().unlock();
        }
    }

    @Override
    public Optional<FileEntry> get(String path) {
        state.readLock().lock();
        try {
            return Optional.ofNullable(table.get(path));
        } finally {
            state.readLock().unlock();
        }
    }

    @Override
    public CommitOutcome commit(List<Change> changes, String device, long now) throws IOException {
        writer.lock();
        try {
            requireOpen();
            if (changes.isEmpty()) {
                return new CommitOutcome.Accepted(List.of(), sequence);
            }
            // Only this thread changes the table while it holds the writer lock, so it may read it unlocked.
            List<String> stalePaths = new ArrayList<>();
            List<FileEntry> current = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Change change : changes) {
                if (!seen.add(change.path())) {
                    throw new IllegalArgumentException("path appears twice in one commit: " + change.path());
                }
                FileEntry existing = table.get(change.path());
                long currentVersion = existing == null ? 0 : existing.version();
                if (change.baseVersion() != currentVersion) {
                    stalePaths.add(change.path());
                    if (existing != null) {
                        current.add(existing);
                    }
                }
            }
            if (!stalePaths.isEmpty()) {
                return new CommitOutcome.Stale(stalePaths, current);
            }
            List<FileEntry> entries = new ArrayList<>(changes.size());
            long version = sequence;
            for (Change change : changes) {
                entries.add(FileIndex.entryFor(change, ++version, device));
            }
            journal.append(new JournalRecord(now, entries));
            state.writeLock().lock();
            try {
                int dropped = 0;
                for (FileEntry entry : entries) {
                    table.put(entry, now);
                    dropped += table.prune(entry.path(), retention, now);
                }
                droppedSinceSnapshot |= dropped > 0;
                sequence = version;
            } finally {
                state.writeLock().unlock();
            }
            // Still under the writer lock, so listeners hear sequences in order; before compaction, which may
            // take a while, so long polls answer at once.
            notifyListeners(version);
            compactIfDue();
            return new CommitOutcome.Accepted(entries, version);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public Optional<PathHistory> history(String path, long now) {
        state.readLock().lock();
        try {
            FileEntry current = table.get(path);
            return current == null ? Optional.empty() : Optional.of(new PathHistory(current, kept(path, now)));
        } finally {
            state.readLock().unlock();
        }
    }

    @Override
    public List<PathHistory> trash(long now) {
        state.readLock().lock();
        try {
            List<PathHistory> trash = new ArrayList<>();
            for (String path : table.pathsWithHistory()) {
                FileEntry current = table.get(path);
                if (current.deleted()) {
                    PathHistory history = new PathHistory(current, kept(path, now));
                    if (history.newestEarlierFile().isPresent()) {
                        trash.add(history);
                    }
                }
            }
            return trash;
        } finally {
            state.readLock().unlock();
        }
    }

    /** Returns the earlier versions of {@code path} the policy keeps at {@code now}, newest first; needs a lock. */
    private List<PastEntry> kept(String path, long now) {
        List<PastEntry> past = table.history(path);
        int keep = 0;
        // Answers as if swept just now: the sweep may not have run since a version expired.
        while (keep < past.size() && retention.keeps(keep + 1, past.get(keep).replacedAt(), now)) {
            keep++;
        }
        return past.subList(0, keep);
    }

    @Override
    public int sweep(long now) throws IOException {
        writer.lock();
        try {
            requireOpen();
            int dropped;
            state.writeLock().lock();
            try {
                dropped = table.pruneAll(retention, now);
            } finally {
                state.writeLock().unlock();
            }
            droppedSinceSnapshot |= dropped > 0;
            return dropped;
        } finally {
            writer.unlock();
        }
    }

    @Override
    public ReferenceMark markReferenced() throws IOException {
        writer.lock();
        try {
            requireOpen();
            if (droppedSinceSnapshot) {
                // A failure here must stop the collection: without the snapshot a dropped version could return.
                writeSnapshot();
            }
            Set<String> hashes = new HashSet<>();
            table.forEachChunk(hashes::add);
            return new ReferenceMark(sequence, hashes);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public Set<String> chunksCommittedAfter(long since) {
        state.readLock().lock();
        try {
            Set<String> hashes = new HashSet<>();
            table.forEachChunkAfter(since, hashes::add);
            return hashes;
        } finally {
            state.readLock().unlock();
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the index in " + dir + " is closed");
        }
    }

    private void notifyListeners(long version) {
        for (SequenceListener listener : listeners) {
            try {
                listener.sequenceAdvanced(version);
            } catch (RuntimeException e) {
                // The commit is durable and acknowledged either way; a listener's bug must not turn it into a 500.
                LOG.warn("a listener failed on version {} of index {}", version, dir, e);
            }
        }
    }

    @Override
    public void addSequenceListener(SequenceListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeSequenceListener(SequenceListener listener) {
        listeners.remove(listener);
    }

    /** Folds the journal into a new snapshot when it is due; a failure only postpones it. Needs the writer lock. */
    private void compactIfDue() {
        if (journal.lines() < limits.maxLines() && journal.size() < limits.maxBytes()) {
            return;
        }
        try {
            writeSnapshot();
        } catch (IOException e) {
            LOG.warn("could not compact index {}; the journal keeps growing until the next try: {}", dir,
                    e.toString());
        }
    }

    /** Writes the whole index as a new snapshot and empties the journal. Needs the writer lock. */
    private void writeSnapshot() throws IOException {
        Snapshot snapshot = new Snapshot(sequence, table.inVersionOrder(), table.pastInVersionOrder());
        AtomicFiles.write(dir.resolve(SNAPSHOT), out -> Json.mapper().writeValue(out, snapshot));
        droppedSinceSnapshot = false;
        journal.reset();
        LOG.info("compacted index {} into a snapshot at version {}", dir, sequence);
    }

    @Override
    public void close() throws IOException {
        writer.lock();
        try {
            if (!closed) {
                closed = true;
                journal.close();
            }
        } finally {
            writer.unlock();
        }
    }
}
