package io.syncedfolder.client.plan;

import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;

/** One thing the executor must do for one path; every action names the rule of SPEC §3 that produced it. */
public sealed interface Action {
    String path();

    /** The SPEC §3 rule, in words, that produced this action. */
    String rule();

    /** Creates a directory the server has; replaces an unchanged local file of that name if there is one. */
    record MakeDirectory(String path, FileEntry remote, LocalFile replacing, String rule) implements Action {
    }

    /** Fetches the remote file into place; {@code replacing} is the local file expected there (null: none). */
    record Download(String path, FileEntry remote, LocalFile replacing, String rule) implements Action {
    }

    /** Sends a local file or directory to the server, based on {@code baseVersion}. */
    record Upload(String path, LocalFile local, long baseVersion, String rule) implements Action {
    }

    /** Records on the server that this client deleted the path (a tombstone), based on {@code baseVersion}. */
    record DeleteRemote(String path, EntryKind kind, long baseVersion, String rule) implements Action {
    }

    /** Deletes the local file or directory {@code expected}, because the server has {@code tombstone}. */
    record DeleteLocal(String path, LocalFile expected, FileEntry tombstone, String rule) implements Action {
    }

    /**
     * Records that local and remote agree without moving any bytes; a null {@code local} (both deleted)
     * forgets the path.
     */
    record RecordBase(String path, LocalFile local, FileEntry remote, String rule) implements Action {
    }

    /**
     * Both sides changed the path differently: the {@code keeper} side keeps the name and the other side's
     * version is saved as {@code copyPath}; both end up on the server and every client.
     *
     * @param copyBaseVersion the current server version at {@code copyPath} (0 if the server never had it)
     */
    record Conflict(String path, LocalFile local, FileEntry remote, Side keeper, String copyPath,
                    long copyBaseVersion, String rule) implements Action {
    }

    /**
     * Removes an old conflict copy, unchanged since it was synced, here and on the server (whose history keeps
     * it), because its file has more copies than the limit.
     */
    record RemoveCopy(String path, LocalFile local, long baseVersion, String rule) implements Action {
    }

    /** Which side of a conflict keeps the original name. */
    enum Side {
        LOCAL,
        REMOTE
    }
}
