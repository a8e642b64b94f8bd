package io.syncedfolder.client.plan;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** The facts a decision may depend on besides the three inputs: who we are and what time it is. */
public record SyncContext(String device, Instant now, ZoneId zone) {
    public SyncContext {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
    }
}
