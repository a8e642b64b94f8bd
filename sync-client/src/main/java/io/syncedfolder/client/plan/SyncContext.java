package io.syncedfolder.client.plan;

import io.syncedfolder.client.scan.FileSystemTraits;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The facts a decision may depend on besides the three inputs: who we are, what time it is, what the disk can
 * hold, and how many conflict copies of one file to keep.
 */
public record SyncContext(String device, Instant now, ZoneId zone, FileSystemTraits fileSystem, int maxConflictCopies) {
    public static final int DEFAULT_MAX_CONFLICT_COPIES = 10;

    public SyncContext {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(fileSystem, "fileSystem");
        if (maxConflictCopies < 1) {
            throw new IllegalArgumentException("maxConflictCopies must be at least 1");
        }
    }

    /** A context on a file system that holds any two different names apart. */
    public SyncContext(String device, Instant now, ZoneId zone) {
        this(device, now, zone, FileSystemTraits.EXACT, DEFAULT_MAX_CONFLICT_COPIES);
    }
}
