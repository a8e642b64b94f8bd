package io.syncedfolder.client.scan;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one scan of the folder found.
 *
 * @param files   every synced file and directory by NFC path
 * @param skipped paths that exist but were left for a later pass (still being written, unreadable);
 *                they must not be mistaken for deletions
 */
public record LocalScan(SortedMap<String, LocalFile> files, Set<String> skipped) {
    public LocalScan {
        files = new TreeMap<>(files);
        skipped = Set.copyOf(skipped);
    }

    public static LocalScan of(Map<String, LocalFile> files) {
        return new LocalScan(new TreeMap<>(files), Set.of());
    }
}
