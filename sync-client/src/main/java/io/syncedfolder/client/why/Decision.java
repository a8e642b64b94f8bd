package io.syncedfolder.client.why;

import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;

/**
 * One decision for one path: the three inputs the reconciler saw, the SPEC §3 rule that fired, what it
 * decided to do, and how that ended.
 *
 * @param passAt  when the pass that made it ended, epoch milliseconds (as in {@code last-pass.json})
 * @param round   the round of that pass (a pass plans again after a stale commit); 0 for a decision
 *                reconstructed from the saved state rather than recorded
 * @param local   the file in the folder, or null if there was none
 * @param base    what this client last synced for the path, or null if nothing
 * @param remote  the server's entry, or null if the server had none
 * @param action  what was decided, in words ("upload", "delete here"…)
 * @param rule    the SPEC §3 rule, in words
 * @param detail  why an action was left or failed, or null
 */
public record Decision(long passAt, int round, String path, Input local, Input base, Input remote, String action,
                       String rule, Outcome outcome, String detail) {

    /** How the decision ended. */
    public enum Outcome {
        DONE,
        /** A local file changed while the client worked, or the scan could not read it: decided again later. */
        LEFT_FOR_NEXT_PASS,
        FAILED,
        /** Another device committed first; the next round decided again with the newer remote entry. */
        STALE,
        NOTHING_TO_DO
    }

    /**
     * One of the three inputs, as the reconciler saw it.
     *
     * @param version    the server version (remote) or the version last agreed on (base); null for local
     * @param sha256     whole-file SHA-256; null for folders and tombstones
     * @param executable the owner-executable bit
     * @param device     the device that made the remote change; null for local and base
     * @param deleted    true for a remote tombstone
     */
    public record Input(EntryKind kind, Long version, String sha256, long size, long mtime, boolean executable,
                        String device, boolean deleted) {

        static Input of(LocalFile local) {
            return local == null ? null
                    : new Input(local.kind(), null, local.sha256(), local.size(), local.mtime(), local.executable(), null, false);
        }

        static Input of(BaseEntry base) {
            return base == null ? null
                    : new Input(base.kind(), base.version(), base.sha256(), base.size(), base.mtime(), base.executable(), null, false);
        }

        static Input of(FileEntry remote) {
            return remote == null ? null
                    : new Input(remote.kind(), remote.version(), remote.sha256(), remote.size(), remote.mtime(),
                            remote.executable(), remote.device(), remote.deleted());
        }

        /** Returns the local file the reconciler took to be the same as this base entry. */
        Input asLocal() {
            return new Input(kind, null, sha256, size, mtime, executable, null, false);
        }
    }
}
