package io.syncedfolder.client.plan;

import io.syncedfolder.client.scan.FileSystemTraits;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** The facts a decision may depend on besides the three inputs: who we are, what time it is, what the disk can hold. */
public record SyncContext(String device, Instant now, ZoneId zone, FileSystemTraits fileSystem) {
    public SyncContext {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(fileSystem, "fileSystem");
    }

    /** A context on a file system that holds any two different names apart. */
    public SyncContext(String device, Instant now, ZoneId zone) {
        this(device, now, zone, FileSystemTraits.EXACT);
    }
}
