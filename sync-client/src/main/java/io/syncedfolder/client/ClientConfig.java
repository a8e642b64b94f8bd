package io.syncedfolder.client;

import io.syncedfolder.client.plan.SyncContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** The settings of one client: which folder, which server, who we are, and the safety nets. */
public record ClientConfig(String serverUrl, String token, Path folder, String device, Duration interval,
                           Safety safety) {
    public ClientConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(safety, "safety");
    }

    /** Returns the settings without the token, so that printing them (or logging them) never shows it. */
    @Override
    public String toString() {
        return "ClientConfig[serverUrl=" + serverUrl + ", folder=" + folder + ", device=" + device + ", interval="
                + interval + ", safety=" + safety + "]";
    }

    /** The default safety nets, without a list of known folders. */
    public ClientConfig(String serverUrl, String token, Path folder, String device, Duration interval) {
        this(serverUrl, token, folder, device, interval, Safety.DEFAULTS);
    }

    /**
     * The limits that stop the client before it does what looks like an accident rather than a wish.
     *
     * @param maxDeletePercent  a pass that would delete more than this share of the synced files (and more than
     *                          {@link io.syncedfolder.client.safety.DeletionBreaker#MIN_FILES}) stops instead
     * @param allowMassDelete   let the first pass delete however many files it must
     * @param maxConflictCopies conflict copies kept per file; older synced ones are removed (the server keeps them)
     * @param knownFolders      where this user's synced folders are remembered, so a folder that disappears is
     *                          not mistaken for a new empty one; null remembers nothing
     * @param recreateFolder    sync the folder as new although it was synced before and its state is gone
     */
    public record Safety(int maxDeletePercent, boolean allowMassDelete, int maxConflictCopies, Path knownFolders,
                         boolean recreateFolder) {
        public static final int DEFAULT_MAX_DELETE_PERCENT = 50;
        public static final Safety DEFAULTS =
                new Safety(DEFAULT_MAX_DELETE_PERCENT, false, SyncContext.DEFAULT_MAX_CONFLICT_COPIES, null, false);

        public Safety {
            if (maxDeletePercent < 0 || maxDeletePercent > 100) {
                throw new IllegalArgumentException("maxDeletePercent must be 0 to 100");
            }
            if (maxConflictCopies < 1) {
                throw new IllegalArgumentException("maxConflictCopies must be at least 1");
            }
        }
    }
}
