package io.syncedfolder.server.service;

import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.HistoryResponse;
import io.syncedfolder.common.protocol.RestoreRequest;
import io.syncedfolder.common.protocol.TrashItem;
import io.syncedfolder.common.protocol.TrashResponse;
import io.syncedfolder.common.protocol.VersionInfo;
import io.syncedfolder.server.index.CommitOutcome;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.PastEntry;
import io.syncedfolder.server.index.PathHistory;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what the server keeps of earlier versions (a path's history, the trash of deleted files) and brings an
 * earlier version back.
 *
 * <p>A restore is an ordinary commit by the device {@value #DEVICE}: the version's content becomes a new version on
 * top of whatever is current, so it gets the next sequence number, appears in the change feed and reaches every
 * client on its next pass. The new version keeps the old one's content, size and executable bit and gets the
 * restore's time as its modification time: it is the newest change to the file, and a concurrent edit elsewhere
 * then conflicts with it the way it would with any fresh edit. A folder on the way to the file that was deleted
 * comes back in the same commit; a file on the way (another device turned the folder into a file) refuses the
 * restore with 409.
 */
public final class HistoryService {
    /** The device name a restore's new version carries. */
    public static final String DEVICE = "restore";
    private static final Logger LOG = LoggerFactory.getLogger(HistoryService.class);
    /** A restore applies on top of the current version; a commit landing in between only means trying again. */
    private static final int MAX_ATTEMPTS = 10;

    private final FileIndex index;
    private final CommitService commits;
    private final Clock clock;

    public HistoryService(FileIndex index, CommitService commits, Clock clock) {
        this.index = Objects.requireNonNull(index, "index");
        this.commits = Objects.requireNonNull(commits, "commits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns {@code path}'s current version and the earlier ones kept, newest first.
     *
     * @throws InvalidRequestException if the path is missing or breaks the path rules
     * @throws NotFoundException       if the server never had the path
     */
    public HistoryResponse history(String path) {
        PathHistory history = find(validPath(path));
        List<VersionInfo> versions = new ArrayList<>(history.earlier().size() + 1);
        versions.add(VersionInfo.of(history.current(), null));
        for (PastEntry past : history.earlier()) {
            versions.add(VersionInfo.of(past.entry(), past.replacedAt()));
        }
        return new HistoryResponse(path, versions);
    }

    /** Returns version {@code version} of {@code path} if the server keeps it (the current one included). */
    public Optional<FileEntry> version(String path, long version) {
        return index.history(path, clock.millis()).flatMap(history -> history.version(version));
    }

    /** Returns every deleted file that can still be restored, most recently deleted first. */
    public TrashResponse trash() {
        List<TrashItem> items = new ArrayList<>();
        for (PathHistory history : index.trash(clock.millis())) {
            FileEntry deletion = history.current();
            FileEntry last = history.newestEarlierFile().orElseThrow();
            PastEntry replaced = history.earlier().get(0);
            items.add(new TrashItem(deletion.path(), deletion.version(), replaced.replacedAt(), deletion.device(),
                    VersionInfo.of(last, replacedAt(history, last))));
        }
        items.sort(Comparator.comparingLong(TrashItem::deletedAt).reversed().thenComparing(TrashItem::path));
        return new TrashResponse(items);
    }

    private static Long replacedAt(PathHistory history, FileEntry entry) {
        return history.earlier().stream().filter(p -> p.entry().version() == entry.version())
                .map(PastEntry::replacedAt).findFirst().orElse(null);
    }

    /**
     * Makes a kept version of a file its current version again, as a new commit (see the class comment).
     *
     * @return {@link CommitOutcome.Accepted} whose last entry is the file's new version; {@link CommitOutcome.Stale}
     *         only if other commits kept landing in between; {@link CommitOutcome.MissingBlobs} if the version's
     *         content is no longer stored (which the collector should never allow)
     * @throws InvalidRequestException if the path is bad, the version is below 1, or it names a directory or a
     *                                 deletion
     * @throws NotFoundException       if the server never had the path or does not keep that version
     * @throws ConflictException       if a folder on the way to the file is a file now
     */
    public CommitOutcome restore(RestoreRequest request) throws IOException {
        String path = validPath(request.path());
        if (request.version() != null && request.version() < 1) {
            throw InvalidRequestException.badRequest("version must be at least 1, not " + request.version());
        }
        CommitOutcome outcome = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            PathHistory history = find(path);
            FileEntry version = chosen(history, request.version());
            if (history.current().isLiveDirectory()) {
                throw new ConflictException("\"" + path + "\" is a folder now; move or delete it to restore the file");
            }
            long now = clock.millis();
            List<Change> changes = new ArrayList<>(foldersOnTheWay(path, now));
            changes.add(Change.file(path, history.current().version(), version.sha256(), version.size(), now,
                    version.executable(), version.chunks()));
            outcome = commits.commit(new CommitRequest(DEVICE, changes));
            if (!(outcome instanceof CommitOutcome.Stale)) {
                if (outcome instanceof CommitOutcome.Accepted accepted) {
                    LOG.info("restored version {} of {} as version {}", version.version(), path, accepted.cursor());
                }
                return outcome;
            }
        }
        return outcome;
    }

    private PathHistory find(String path) {
        return index.history(path, clock.millis()).orElseThrow(
                () -> new NotFoundException("the server has no file or folder \"" + path + "\""));
    }

    /** Returns the version a restore brings back: the one asked for, or the newest earlier file version. */
    private static FileEntry chosen(PathHistory history, Long version) {
        String path = history.current().path();
        if (version == null) {
            return history.newestEarlierFile().orElseThrow(() -> new NotFoundException(
                    "the server keeps no earlier version of \"" + path + "\" with content"));
        }
        Optional<FileEntry> found = history.version(version);
        if (found.isEmpty()) {
            throw new NotFoundException("version " + version + " of \"" + path + "\" is not kept; "
                    + kept(history));
        }
        FileEntry entry = found.get();
        if (entry.deleted()) {
            throw InvalidRequestException.badRequest("version " + version + " of \"" + path
                    + "\" is its deletion; restore a version with content");
        }
        if (entry.isLiveDirectory()) {
            throw InvalidRequestException.badRequest("version " + version + " of \"" + path
                    + "\" is a folder; only files are restored (a folder comes back with the files in it)");
        }
        return entry;
    }

    private static String kept(PathHistory history) {
        List<Long> versions = new ArrayList<>();
        versions.add(history.current().version());
        history.earlier().forEach(past -> versions.add(past.entry().version()));
        return "the kept versions are " + versions;
    }

    /** Returns the changes that bring back deleted folders on the way to {@code path}, outermost first. */
    private List<Change> foldersOnTheWay(String path, long now) {
        List<Change> changes = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            String folder = path.substring(0, slash);
            Optional<FileEntry> current = index.get(folder);
            if (current.isEmpty() || current.get().isLiveDirectory()) {
                continue;
            }
            if (current.get().isLiveFile()) {
                throw new ConflictException("\"" + folder + "\" is a file now, so \"" + path
                        + "\" cannot be restored inside it; move or delete that file first");
            }
            changes.add(Change.directory(folder, current.get().version(), now));
        }
        return changes;
    }

    private static String validPath(String path) {
        if (path == null) {
            throw InvalidRequestException.badRequest("path is required");
        }
        Optional<String> problem = PathRules.problem(path);
        if (problem.isPresent()) {
            throw InvalidRequestException.badPath(new BadPathException(path, problem.get()).getMessage());
        }
        return path;
    }
}
