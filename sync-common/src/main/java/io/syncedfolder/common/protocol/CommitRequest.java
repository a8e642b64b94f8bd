package io.syncedfolder.common.protocol;

import java.util.List;

/** A batch of changes from one device; the server applies all of them or none. */
public record CommitRequest(String device, List<Change> changes) {
    public CommitRequest {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
