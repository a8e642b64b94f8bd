package io.syncedfolder.server.web;

import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.service.Limits;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Reads the current entry of every path through the index's change feed, the way a client sees it. */
final class CurrentEntries {
    private CurrentEntries() {
    }

    /**
     * Returns the current entry of every path, tombstones included, in no particular order.
     *
     * <p>Read page by page; a path committed again while the pages are read shows up twice in the feed, and the
     * later (newer) entry wins.
     */
    static Collection<FileEntry> of(FileIndex index) {
        Map<String, FileEntry> byPath = new HashMap<>();
        long since = 0;
        while (true) {
            ChangesResponse page = index.changesSince(since, Limits.MAX_CHANGES_PER_PAGE);
            for (FileEntry entry : page.entries()) {
                byPath.merge(entry.path(), entry, (old, now) -> now.version() > old.version() ? now : old);
            }
            if (!page.more() || page.cursor() <= since) {
                return byPath.values();
            }
            since = page.cursor();
        }
    }
}
