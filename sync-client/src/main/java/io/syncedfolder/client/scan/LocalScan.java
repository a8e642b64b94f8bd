package io.syncedfolder.client.scan;

import io.syncedfolder.common.PathRules;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What one scan of the folder found.
 *
 * @param files   every synced file and directory by NFC path
 * @param skipped  paths that exist but were left for a later pass (still being written, unreadable);
 *                 they must not be mistaken for deletions, and the folder is not in sync until they are done
 * @param unsynced paths that exist but are never synced (symbolic links, devices, sockets); nothing from
 *                 the server may replace them
 */
public record LocalScan(SortedMap<String, LocalFile> files, Set<String> skipped, Set<String> unsynced) {
    public LocalScan {
        files = files instanceof Found ? files : new TreeMap<>(files);
        skipped = Set.copyOf(skipped);
        unsynced = Set.copyOf(unsynced);
    }

    /**
     * The map a full scan fills and hands over whole to its {@code LocalScan}, which keeps it rather than a
     * copy: a scan of a large folder then is not held twice at once.
     */
    static final class Found extends ConcurrentSkipListMap<String, LocalFile> {
    }

    public static LocalScan of(Map<String, LocalFile> files) {
        return new LocalScan(new TreeMap<>(files), Set.of(), Set.of());
    }

    /**
     * Returns true if the path, or a folder above it, exists here but must be left alone this pass: what the
     * scan could not look into must never be taken for deleted.
     */
    public boolean leftAlone(String path) {
        if (skipped.isEmpty() && unsynced.isEmpty()) {
            return false;
        }
        for (String p = path; !p.isEmpty(); p = PathRules.parent(p)) {
            if (skipped.contains(p) || unsynced.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
