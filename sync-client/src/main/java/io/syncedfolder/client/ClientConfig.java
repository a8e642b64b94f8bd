package io.syncedfolder.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one client: which folder, which server, who we are, and the safety nets.
 *
 * @param maxDeletePercent a pass that would delete more than this share of the synced files (and more than
 *                         {@link io.syncedfolder.client.safety.DeletionBreaker#MIN_FILES} files) stops instead
 * @param allowMassDelete  let the first pass delete however many files it must
 * @param knownFolders     where this user's synced folders are remembered, so a folder that disappears is
 *                         not mistaken for a new empty one; null remembers nothing
 * @param recreateFolder   sync the folder as new even though it was synced before and its state is gone
 */
public record ClientConfig(String serverUrl, String token, Path folder, String device, Duration interval,
                           int maxDeletePercent, boolean allowMassDelete, Path knownFolders, boolean recreateFolder) {
    public static final int DEFAULT_MAX_DELETE_PERCENT = 50;

    public ClientConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(interval, "interval");
        if (maxDeletePercent < 0 || maxDeletePercent > 100) {
            throw new IllegalArgumentException("maxDeletePercent must be 0 to 100");
        }
    }

    /** The default safety nets, without a list of known folders. */
    public ClientConfig(String serverUrl, String token, Path folder, String device, Duration interval) {
        this(serverUrl, token, folder, device, interval, DEFAULT_MAX_DELETE_PERCENT, false, null, false);
    }
}
