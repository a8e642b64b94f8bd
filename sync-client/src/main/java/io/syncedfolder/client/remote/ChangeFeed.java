package io.syncedfolder.client.remote;

import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.common.protocol.ChangesResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the server's change feed from a cursor to its end, noticing a server whose index was replaced. */
public final class ChangeFeed {
    /**
     * What the feed said.
     *
     * @param indexReplaced true if the server's index is not the one the cursor belongs to (its data was lost
     *                      or replaced): {@code entries} are then the whole new index, read from the start
     * @param entries       entries with valid paths, oldest first
     * @param badPaths      paths the server sent that break the {@link PathRules}; never to be used
     */
    public record Catchup(boolean indexReplaced, String indexId, long cursor, List<FileEntry> entries,
                          List<String> badPaths) {
        public Catchup {
            entries = List.copyOf(entries);
            badPaths = List.copyOf(badPaths);
        }
    }

    private ChangeFeed() {
    }

    /** Reads every change after {@code cursor} of the index {@code knownIndexId} (null: not known yet). */
    public static Catchup since(ServerClient server, long cursor, String knownIndexId) throws IOException {
        long since = cursor;
        boolean replaced = false;
        String indexId = knownIndexId;
        List<FileEntry> entries = new ArrayList<>();
        List<String> badPaths = new ArrayList<>();
        boolean more = true;
        while (more) {
            ChangesResponse page = server.changes(since);
            boolean otherIndex = page.indexId() != null && knownIndexId != null && !page.indexId().equals(knownIndexId);
            if (!replaced && (otherIndex || page.cursor() < since)) {
                replaced = true;
                entries.clear();
                badPaths.clear();
                since = 0;
                continue;
            }
            if (page.indexId() != null) {
                indexId = page.indexId();
            }
            for (FileEntry entry : page.entries()) {
                if (PathRules.isValid(entry.path())) {
                    entries.add(entry);
                } else {
                    badPaths.add(entry.path());
                }
            }
            since = page.cursor();
            more = page.more();
        }
        return new Catchup(replaced, indexId, since, entries, badPaths);
    }
}
