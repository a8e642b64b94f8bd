package io.syncedfolder.common.protocol;

import java.util.List;

/** The answer to {@code GET /trash}: every deleted file that still has a kept version, most recently deleted first. */
public record TrashResponse(List<TrashItem> items) {
    public TrashResponse {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
