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
import java.util.HashSet;
import java.util.List;
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
    private final EntryTable table;
    private final Journal journal;
    private final ReentrantLock writer = new ReentrantLock();
    private final ReadWriteLock state = new ReentrantReadWriteLock();
    private final List<SequenceListener> listeners = new CopyOnWriteArrayList<>();
    private long sequence;
    private boolean closed;

    private JsonFileIndex(Path dir, String id, JournalLimits limits, EntryTable table, long sequence, Journal journal) {
        this.dir = dir;
        this.id = id;
        this.limits = limits;
        this.table = table;
        this.sequence = sequence;
        this.journal = journal;
    }

    /** Opens the index in {@code dir} with the default journal limits, creating an empty one if needed. */
    public static JsonFileIndex open(Path dir) throws IOException {
        return open(dir, JournalLimits.DEFAULT);
    }

    /**
     * Opens the index in {@code dir}: loads the snapshot and replays the journal, creating an empty index if
     * there is none.
     *
     * @throws IndexCorruptException if the snapshot or a journal line other than the last cannot be read
     */
    public static JsonFileIndex open(Path dir, JournalLimits limits) throws IOException {
        Files.createDirectories(dir);
        removeLeftoverTemporaries(dir);
        String id = readOrCreateId(dir.resolve(ID));
        Snapshot snapshot = readSnapshot(dir.resolve(SNAPSHOT));
        EntryTable table = new EntryTable();
        snapshot.entries().forEach(table::put);
        Replay replay = new Replay(dir.resolve(JOURNAL), snapshot.sequence(), table);
        Journal journal = Journal.open(dir.resolve(JOURNAL), replay::apply);
        JsonFileIndex index = new JsonFileIndex(dir, id, limits, table, replay.sequence, journal);
        LOG.info("opened index {} at version {} ({} paths)", dir, replay.sequence, table.size());
        index.writer.lock();
        try {
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
        Set<String> paths = new HashSet<>();
        Set<Long> versions = new HashSet<>();
        for (FileEntry entry : snapshot.entries()) {
            if (entry.version() < 1 || entry.version() > snapshot.sequence()) {
                throw new IndexCorruptException(file, "entry " + entry.path() + " has version " + entry.version()
                        + " outside 1.." + snapshot.sequence(), null);
            }
            if (!paths.add(entry.path()) || !versions.add(entry.version())) {
                throw new IndexCorruptException(file, "entry " + entry.path() + " (version " + entry.version()
                        + ") appears twice", null);
            }
        }
        return snapshot;
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
        private long sequence;

        Replay(Path journal, long snapshotSequence, EntryTable table) {
            this.journal = journal;
            this.snapshotSequence = snapshotSequence;
            this.table = table;
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
                table.put(entry);
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
            if (closed) {
                throw new IOException("the index in " + dir + " is closed");
            }
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
                entries.forEach(table::put);
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
            Snapshot snapshot = new Snapshot(sequence, table.inVersionOrder());
            AtomicFiles.write(dir.resolve(SNAPSHOT), out -> Json.mapper().writeValue(out, snapshot));
            journal.reset();
            LOG.info("compacted index {} into a snapshot at version {}", dir, sequence);
        } catch (IOException e) {
            LOG.warn("could not compact index {}; the journal keeps growing until the next try: {}", dir,
                    e.toString());
        }
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
