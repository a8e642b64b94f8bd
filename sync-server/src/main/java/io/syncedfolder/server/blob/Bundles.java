package io.syncedfolder.server.blob;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle files of a store ({@link BundleFormat}), and in memory where each of their blobs lies.
 *
 * <p>A blob stored again while bundled (uploaded again, or moved by {@link BlobStore#compactBundles()}) lies in the
 * newer bundle from then on, and its bytes in the older one are dead. A bundle none of whose blobs is live is deleted
 * only after the store flushed the folder ({@link #takeEmptied()}): a newer bundle that took over its blobs then
 * survives a power loss before the old one goes. One mostly dead is compacted by the collector.
 *
 * <p>Neither a deletion nor a supersession is recorded on disk: after a restart the newest bundle holding a blob wins
 * again, and a deleted blob whose bundle is still there is back until the collector deletes it again. That is
 * harmless, since a blob is named by its content.
 *
 * <p>Safe for concurrent use.
 */
final class Bundles {
    private static final Logger LOG = LoggerFactory.getLogger(Bundles.class);
    private final Map<String, Location> locations = new ConcurrentHashMap<>();
    /** Bundles none of whose blobs is live, to be deleted after the next flush of the folder. */
    private final Queue<Bundle> emptied = new ConcurrentLinkedQueue<>();

    private Bundles() {
    }

    /** Where a live blob lies. */
    record Location(Bundle bundle, long offset, int length) {
    }

    /** One bundle file, and how many of its blobs are still live. */
    static final class Bundle {
        private final Path file;
        private final Instant modified;
        private final long contentBytes;
        private int liveBlobs;
        private long liveBytes;

        Bundle(Path file, Instant modified, long contentBytes) {
            this.file = file;
            this.modified = modified;
            this.contentBytes = contentBytes;
        }

        Path file() {
            return file;
        }

        /** When the bundle was written: the time its blobs were last uploaded, for the collector. */
        Instant modified() {
            return modified;
        }

        private synchronized void hold(int blobs, long bytes) {
            liveBlobs += blobs;
            liveBytes += bytes;
        }

        /** Notes one blob dead; returns true if none is left live. */
        private synchronized boolean release(int length) {
            liveBlobs--;
            liveBytes -= length;
            return liveBlobs == 0;
        }

        /** True if more than half of the content is dead: worth rewriting the rest. */
        private synchronized boolean isMostlyDead() {
            return liveBytes * 2 < contentBytes;
        }
    }

    /**
     * Loads every bundle in {@code dir}, the newest holding a blob winning, and notes those left with no live blob (a
     * crash after a newer bundle took over their blobs) as emptied. Of a bundle whose index is damaged it keeps the
     * blobs whose bytes still match their hash; one whose trailer is damaged it skips. Both with an error in the log.
     */
    static Bundles load(Path dir) throws IOException {
        Bundles bundles = new Bundles();
        Map<Bundle, BundleFormat.Index> indexes = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + BundleFormat.SUFFIX)) {
            for (Path file : files) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    BundleFormat.Index index = BundleFormat.readIndex(channel);
                    if (!index.checked()) {
                        BundleFormat.Index intact = BundleFormat.salvage(channel, index);
                        LOG.error("the index of the bundle {} does not match its hash (damaged on disk); kept the {}"
                                + " of its {} blobs whose bytes still match their SHA-256", file,
                                intact.entries().size(), index.entries().size());
                        index = intact;
                    }
                    Bundle bundle = new Bundle(file, Files.getLastModifiedTime(file).toInstant(), index.contentBytes());
                    indexes.put(bundle, index);
                } catch (BundleFormat.DamagedBundleException e) {
                    LOG.error("ignoring the damaged bundle {}: {}; the blobs in it are not served", file,
                            e.getMessage());
                }
            }
        }
        List<Bundle> oldestFirst = new ArrayList<>(indexes.keySet());
        oldestFirst.sort(Comparator.comparing(Bundle::modified).thenComparing(Bundle::file));
        for (Bundle bundle : oldestFirst) {
            List<BundleFormat.Entry> entries = indexes.get(bundle).entries();
            if (entries.isEmpty()) {
                bundles.emptied.add(bundle); // no blob at all; one emptied by a newer bundle is noted by release
            }
            bundles.publish(bundle, entries);
        }
        return bundles;
    }

    /** Makes the blobs of the bundle just renamed to {@code file} visible; they supersede older copies. */
    void publish(Path file, BundleFormat.Index index) throws IOException {
        publish(new Bundle(file, Files.getLastModifiedTime(file).toInstant(), index.contentBytes()), index.entries());
    }

    private void publish(Bundle bundle, List<BundleFormat.Entry> entries) {
        // Held for all its blobs first: a newer bundle taking some of them over meanwhile must not empty it early.
        bundle.hold(entries.size(), entries.stream().mapToLong(BundleFormat.Entry::length).sum());
        for (BundleFormat.Entry entry : entries) {
            Location previous = locations.put(entry.sha256(), new Location(bundle, entry.offset(), entry.length()));
            if (previous != null) {
                release(previous);
            }
        }
    }

    boolean contains(String sha256) {
        return locations.containsKey(sha256);
    }

    Optional<Location> find(String sha256) {
        return Optional.ofNullable(locations.get(sha256));
    }

    /** Opens bundled blob {@code sha256} for reading, or returns empty if it is not bundled. */
    Optional<BlobContent> open(String sha256) throws IOException {
        for (Location location = locations.get(sha256); location != null; ) {
            try {
                FileChannel channel = FileChannel.open(location.bundle().file(), StandardOpenOption.READ);
                return Optional.of(new BlobContent(location.length(), channel, location.offset()));
            } catch (NoSuchFileException e) {
                // Its bundle was emptied and deleted after the lookup: the blob moved to a newer one, or is gone.
                Location now = locations.get(sha256);
                if (now == location) {
                    return Optional.empty(); // the file was removed behind the store's back
                }
                location = now;
            }
        }
        return Optional.empty();
    }

    /** Hands every live bundled blob to {@code visitor}. */
    void list(BlobStore.BlobVisitor visitor) throws IOException {
        for (Map.Entry<String, Location> entry : locations.entrySet()) {
            Location location = entry.getValue();
            visitor.visit(new BlobStore.StoredBlob(entry.getKey(), location.length(), location.bundle().modified()));
        }
    }

    /** Deletes bundled blob {@code sha256} if its bundle was written before {@code cutoff}; returns its size if so. */
    OptionalLong deleteIfModifiedBefore(String sha256, Instant cutoff) {
        Location location = locations.get(sha256);
        if (location == null || !location.bundle().modified().isBefore(cutoff)
                || !locations.remove(sha256, location)) {
            return OptionalLong.empty();
        }
        release(location);
        return OptionalLong.of(location.length());
    }

    /** Returns the live blobs of the bundles more than half dead, each with where it lies now. */
    Map<String, Location> liveInMostlyDead() {
        Set<Bundle> mostlyDead = new HashSet<>();
        Map<String, Location> live = new LinkedHashMap<>();
        for (Map.Entry<String, Location> entry : locations.entrySet()) {
            Bundle bundle = entry.getValue().bundle();
            if (mostlyDead.contains(bundle) || bundle.isMostlyDead()) {
                mostlyDead.add(bundle);
                live.put(entry.getKey(), entry.getValue());
            }
        }
        return live;
    }

    private void release(Location location) {
        if (location.bundle().release(location.length())) {
            emptied.add(location.bundle());
        }
    }

    /** Takes the bundles emptied so far, for {@link #delete} once the bundles that replaced them are flushed. */
    List<Bundle> takeEmptied() {
        List<Bundle> taken = new ArrayList<>();
        for (Bundle bundle = emptied.poll(); bundle != null; bundle = emptied.poll()) {
            taken.add(bundle);
        }
        return taken;
    }

    /** Puts back bundles taken by {@link #takeEmptied()} whose deletion has to wait for another flush. */
    void giveBackEmptied(List<Bundle> bundles) {
        emptied.addAll(bundles);
    }

    /** Deletes bundles with no live blob; a failure only leaves garbage, which the next start notes again. */
    static void delete(List<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            try {
                Files.deleteIfExists(bundle.file());
            } catch (IOException e) {
                LOG.warn("could not delete the emptied bundle {}: {}", bundle.file(), e.getMessage());
            }
        }
    }
}
