package io.syncedfolder.server.blob;

import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.BatchFsync;
import io.syncedfolder.common.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores blobs by the SHA-256 of their content: each in {@code <root>/<first 2 hex>/<sha256>}, or, when a batch
 * stores several blobs of at most {@value #BUNDLED_UP_TO} bytes, those together in one bundle file
 * {@code <root>/bundles/<name>.bundle} ({@link BundleFormat}, {@link Bundles}). Creating a file is the costly part of
 * storing a small blob, and a store of many small files would otherwise hold as many files: with bundles, the uploads
 * of 10,000 new 4 KiB files took 0.37-0.50 s instead of 0.90-0.95 s (the bench's W1 by hand, 3 pairs).
 *
 * <p>An upload is streamed to {@code <root>/tmp/<lane>/} while it is hashed; only bytes that match their name are
 * fsynced and renamed into place, so a visible blob is always complete and correct, whatever crashes. Every
 * hash is checked to be 64 lowercase hex digits before it becomes part of a file name.
 *
 * <p>Many blobs are stored with one durability step through a {@link Batch}: each is written and verified
 * without an fsync, then {@link Batch#finish()} flushes all of them together (the file system commits
 * concurrent fsyncs in one journal transaction, about 0.2 ms a file instead of 4 ms) and only then renames them
 * into place.
 *
 * <p>The renames themselves are not flushed when a blob is stored. The store notes the folders whose entries
 * changed (a shard folder per rename, the root when a shard folder was created) and {@link #makeDurable()}
 * flushes them all at once. It must be called before anything that refers to a blob is made durable, that is
 * before a commit is journaled: a power loss may then take back a blob's name only while nothing refers to it,
 * and the client, told it is missing by the next commit, uploads it again. A {@code kill -9} loses nothing
 * either way, since the kernel still holds the renames. This holds for the single-blob {@link #put} too: an
 * answered upload means "stored and verified", and the commit that refers to it makes it durable, so a client
 * that uploads chunk by chunk pays for the folder fsyncs once per commit rather than once per chunk.
 *
 * <p>Blobs are deleted only by a collector ({@link #list}, {@link #deleteIfModifiedBefore}), which decides what
 * is unreferenced. A blob's modification time says when it was last uploaded: storing content that is already
 * there sets it to now, so content sent for a commit that has not arrived yet looks fresh whether or not it had to
 * be written.
 *
 * <p>Safe for concurrent use; a {@code Batch} belongs to one thread.
 */
public final class BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
    /** The copy buffer a blob starts with: most packed chunks of small files fit, and it is cheap to allocate. */
    private static final int FIRST_BUFFER = 8 * 1024;
    /** The copy buffer once a blob has filled the first one: large blobs stream in fewer, larger reads. */
    private static final int BUFFER = 128 * 1024;
    private static final String TMP = "tmp";
    private static final String BUNDLES = "bundles";
    /** Blobs shorter than this go into their batch's bundle; longer ones are files of their own. */
    static final int BUNDLED_UP_TO = 64 * 1024;
    /**
     * Folders in {@code tmp/} that batches take turns at. Creating a file locks its folder, and on ext4 a creation
     * can take long (it skips inodes freed in the last minute one by one): with one folder, concurrent uploads
     * waited for each other's creations, spinning (18% of the server's upload time in a profile of W1).
     */
    private static final int TMP_LANES = 4;

    /** What {@link #put} did. */
    public enum PutResult {
        STORED,
        ALREADY_PRESENT
    }

    private final Path root;
    private final Path tmp;
    private final Path bundleDir;
    private final Clock clock;
    private final Bundles bundles;
    private final AtomicInteger nextLane = new AtomicInteger();
    /** Folders whose entries changed since they were last flushed: shard folders, and the root. */
    private final Set<Path> unflushed = ConcurrentHashMap.newKeySet();
    /**
     * Held shared while a blob is renamed into place and its folders are noted, exclusively while
     * {@link #makeDurable()} takes the noted folders: so once a blob is visible, its folders are either noted or
     * taken by a flush.
     */
    private final ReadWriteLock renames = new ReentrantReadWriteLock();
    /** One flush at a time: a caller that finds nothing noted must still wait for a flush of what was taken. */
    private final ReentrantLock flush = new ReentrantLock();

    private BlobStore(Path root, Clock clock, Bundles bundles) {
        this.root = root;
        this.tmp = root.resolve(TMP);
        this.bundleDir = root.resolve(BUNDLES);
        this.clock = clock;
        this.bundles = bundles;
    }

    /** Opens the store in {@code root}, creating it if needed and deleting uploads a crash interrupted. */
    public static BlobStore open(Path root) throws IOException {
        return open(root, Clock.systemUTC());
    }

    /**
     * Opens the store in {@code root} as {@link #open(Path)} does; content uploaded again while already stored gets
     * {@code clock}'s time as its modification time (new blobs get the file system's).
     */
    public static BlobStore open(Path root, Clock clock) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        Path tmp = dir.resolve(TMP);
        Files.createDirectories(tmp);
        int removed = removeFiles(tmp);
        for (int lane = 0; lane < TMP_LANES; lane++) {
            Path laneDir = lane(tmp, lane);
            if (Files.isDirectory(laneDir)) {
                removed += removeFiles(laneDir);
            } else {
                Files.createDirectory(laneDir);
            }
        }
        if (removed > 0) {
            LOG.info("removed {} unfinished uploads from {}", removed, tmp);
        }
        Path bundleDir = dir.resolve(BUNDLES);
        Files.createDirectories(bundleDir);
        // Every time, not only when it was created: a crash may have come between the two. A bundle's name is then
        // flushed with its folder's alone, and the bundles found emptied at load go only after this flush.
        BatchFsync.directories(List.of(dir, bundleDir));
        Bundles bundles = Bundles.load(bundleDir);
        Bundles.delete(bundles.takeEmptied());
        return new BlobStore(dir, clock, bundles);
    }

    /** Deletes the files in {@code dir}, not its folders; returns how many. */
    private static int removeFiles(Path dir) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
                removed++;
            }
        }
        return removed;
    }

    private static Path lane(Path tmp, int lane) {
        return tmp.resolve(Integer.toString(lane));
    }

    /**
     * Stores the bytes of {@code content} as blob {@code sha256}, reading the stream to its end: a batch of one.
     * The blob's content is durable when this returns; its name once {@link #makeDurable()} has run.
     *
     * @throws HashMismatchException      if the bytes hash to something else; nothing is stored
     * @throws IncompleteUploadException  if reading {@code content} fails; nothing is stored
     * @throws InvalidHashException       if {@code sha256} is not lowercase hex SHA-256
     */
    public PutResult put(String sha256, InputStream content) throws IOException, HashMismatchException {
        return put(sha256, content, false);
    }

    /** Stores one blob as {@link Batch#put(String, InputStream, boolean)} does: a batch of one. */
    public PutResult put(String sha256, InputStream content, boolean evenIfStored)
            throws IOException, HashMismatchException {
        try (Batch batch = batch()) {
            PutResult result = batch.put(sha256, content, evenIfStored);
            batch.finish();
            return result;
        }
    }

    /** Starts a batch of uploads that become visible together, at {@link Batch#finish()}. */
    public Batch batch() {
        return new Batch();
    }

    /**
     * Flushes every folder a stored blob was renamed into (or created in) since the last flush, all at once.
     * When it returns, every blob that was visible when it was called survives a power loss.
     *
     * @throws IOException if a flush fails; the folders stay noted for the next call
     */
    public void makeDurable() throws IOException {
        flush.lock();
        try {
            List<Path> dirs;
            List<Bundles.Bundle> emptied;
            renames.writeLock().lock();
            try {
                dirs = List.copyOf(unflushed);
                unflushed.clear();
                // A bundle emptied by a newer one was emptied while that one's folder was noted, under the read lock.
                emptied = bundles.takeEmptied();
            } finally {
                renames.writeLock().unlock();
            }
            try {
                BatchFsync.directories(dirs);
            } catch (IOException e) {
                unflushed.addAll(dirs);
                bundles.giveBackEmptied(emptied);
                throw e;
            }
            Bundles.delete(emptied);
        } finally {
            flush.unlock();
        }
    }

    /** Returns the folders with renames not yet flushed by {@link #makeDurable()}. */
    Set<Path> unflushedDirectories() {
        return Set.copyOf(unflushed);
    }

    /** Renames a flushed bundle into place, noting its folder, and makes its blobs visible. */
    private void publishBundle(Path temp, Path target, BundleFormat.Index index) throws IOException {
        renames.readLock().lock();
        try {
            unflushed.add(bundleDir);
            AtomicFiles.rename(temp, target);
            bundles.publish(target, index);
        } finally {
            renames.readLock().unlock();
        }
    }

    /** Renames a verified, fsynced upload into place, noting the folders whose entries it changes. */
    private void moveIntoPlace(Path temp, Path target) throws IOException {
        Path shard = target.getParent();
        renames.readLock().lock();
        try {
            if (Files.notExists(shard)) {
                unflushed.add(root);
                Files.createDirectories(shard);
            }
            unflushed.add(shard);
            AtomicFiles.rename(temp, target);
        } finally {
            renames.readLock().unlock();
        }
    }

    /**
     * Uploads that become visible together: {@link #put} writes and verifies each blob in {@code <root>/tmp/<lane>/},
     * {@link #finish()} flushes them all at once and renames them into place. Closing an unfinished batch
     * deletes its uploads, so a batch never leaves a temporary file behind; closing a finished one does nothing.
     *
     * <p>For one thread at a time.
     */
    public final class Batch implements AutoCloseable {
        /** Names this batch's uploads; the hash-to-be never names a file before it is verified. */
        private final String name = "upload-" + UUID.randomUUID();
        private final Path dir = lane(tmp, Math.floorMod(nextLane.getAndIncrement(), TMP_LANES));
        /** Verified uploads waiting for {@link #finish()}: each temporary file by the place it goes to. */
        private final Map<Path, Path> pending = new LinkedHashMap<>();
        /** This batch's small blobs, written as one bundle at {@link #finish()}; made with the first of them. */
        private BundleWriter bundle;
        private final Set<String> inBundle = new HashSet<>();
        /** Where an upload's first bytes are read, to tell whether it is small enough for the bundle. */
        private final byte[] head = new byte[BUNDLED_UP_TO];
        /** The time the bundle's blobs were uploaded: now, unless a compaction moves older ones. */
        private Instant uploaded;
        private int uploads;
        private boolean done;

        private Batch() {
        }

        /**
         * Reads {@code content} to its end and, if its bytes hash to {@code sha256}, keeps them for
         * {@link #finish()}. Content already stored, or already in this batch, is verified but not written.
         *
         * @return {@link PutResult#STORED} if the blob is new: it becomes visible at {@link #finish()}
         * @throws HashMismatchException      if the bytes hash to something else; this blob is not kept, the
         *                                    batch's others are
         * @throws IncompleteUploadException  if reading {@code content} fails; as for a mismatch
         * @throws InvalidHashException       if {@code sha256} is not lowercase hex SHA-256
         */
        public PutResult put(String sha256, InputStream content) throws IOException, HashMismatchException {
            return put(sha256, content, false);
        }

        /**
         * Stores {@code content} as {@link #put(String, InputStream)} does, but with {@code evenIfStored} writes and
         * flushes it (and renames it over the stored copy, same bytes) although the store holds it: then the upload
         * takes as long as one of new content, so its timing does not tell the uploader that someone else stores
         * it.
         *
         * <p>Content under {@value #BUNDLED_UP_TO} bytes goes into the batch's bundle. A blob already bundled is
         * bundled again too, even if it is known: a bundled blob's time can only be refreshed that way.
         */
        public PutResult put(String sha256, InputStream content, boolean evenIfStored)
                throws IOException, HashMismatchException {
            requireOpen();
            Path target = location(sha256);
            if (pending.containsKey(target) || inBundle.contains(sha256) || (!evenIfStored && touch(target))) {
                // Known content is still read to its end and verified, so wrong bytes are never answered with
                // "ok", but it is not written: dedup then costs no disk writes and leaves no temp file.
                verify(sha256, content, OutputStream.nullOutputStream());
                return PutResult.ALREADY_PRESENT;
            }
            boolean known = !evenIfStored && bundles.contains(sha256);
            int read = readUpTo(content, head);
            MessageDigest digest = Hashing.sha256();
            digest.update(head, 0, read);
            if (read < head.length) {
                requireHash(sha256, digest, read);
                bundle().add(sha256, head, read);
                inBundle.add(sha256);
                return known ? PutResult.ALREADY_PRESENT : PutResult.STORED;
            }
            Path temp = dir.resolve(name + "-" + uploads++ + ".part");
            boolean kept = false;
            try {
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    out.write(head, 0, read);
                    requireHash(sha256, digest, copy(content, out, digest, read));
                }
                pending.put(target, temp);
                kept = true;
                return PutResult.STORED;
            } finally {
                if (!kept) {
                    Files.deleteIfExists(temp);
                }
            }
        }

        private BundleWriter bundle() {
            if (bundle == null) {
                bundle = new BundleWriter(dir.resolve(name + BundleFormat.SUFFIX));
            }
            return bundle;
        }

        /**
         * Makes every blob kept so far visible: flushes their content together (the bundle's too), then renames
         * each into place. Content is flushed before any rename, so a visible blob is complete after a power loss;
         * the renames are flushed by {@link BlobStore#makeDurable()}.
         *
         * @throws IOException if flushing or renaming fails; the blobs renamed before the failure stay stored,
         *                     the others are deleted
         */
        public void finish() throws IOException {
            requireOpen();
            done = true;
            try {
                BundleFormat.Index index = finishBundle();
                List<Path> toFlush = new ArrayList<>(pending.values());
                if (index != null) {
                    // The bundle's time is its blobs' upload time, taken from the clock as for content uploaded again.
                    Instant time = uploaded != null ? uploaded : clock.instant();
                    Files.setLastModifiedTime(bundle.file(), FileTime.from(time));
                    toFlush.add(bundle.file());
                }
                BatchFsync.files(toFlush);
                for (Map.Entry<Path, Path> blob : pending.entrySet()) {
                    moveIntoPlace(blob.getValue(), blob.getKey());
                }
                if (index != null) {
                    publishBundle(bundle.file(), bundleDir.resolve(name + BundleFormat.SUFFIX), index);
                }
            } catch (IOException | RuntimeException e) {
                try {
                    deleteUploads();
                } catch (IOException notDeleted) {
                    e.addSuppressed(notDeleted);
                }
                throw e;
            }
            pending.clear();
        }

        /**
         * Writes the bundle's index and returns it, or null if there is no bundle to store: no small blob, or one
         * not bundled before, which becomes a pending file of its own (a bundle of one would only add a file).
         */
        private BundleFormat.Index finishBundle() throws IOException {
            if (bundle == null) {
                return null;
            }
            byte[] only = bundle.onlyBlob();
            String onlyHash = bundle.entries().get(0).sha256();
            if (only == null || bundles.contains(onlyHash)) {
                return bundle.finish();
            }
            Path temp = dir.resolve(name + "-" + uploads++ + ".part");
            pending.put(location(onlyHash), temp);
            Files.write(temp, only, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            bundle.close();
            bundle = null;
            return null;
        }

        /** Deletes the uploads of an unfinished batch; nothing becomes visible. */
        @Override
        public void close() throws IOException {
            done = true;
            deleteUploads();
        }

        private void requireOpen() {
            if (done) {
                throw new IllegalStateException("this batch of uploads is already finished or closed");
            }
        }

        /** Deletes every upload not renamed into place (a renamed one is no longer there to delete). */
        private void deleteUploads() throws IOException {
            IOException failure = null;
            if (bundle != null) {
                try {
                    bundle.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            for (Path temp : pending.values()) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            pending.clear();
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * Sets a stored blob's modification time to now, so a collector sees it as just uploaded; returns false if the
     * blob is not stored.
     */
    private boolean touch(Path blob) throws IOException {
        if (!isFile(blob)) {
            return false; // the usual case when content is new, found without the cost of an exception
        }
        try {
            Files.setLastModifiedTime(blob, FileTime.from(clock.instant()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** A stored blob as a collector sees it. */
    public record StoredBlob(String sha256, long size, Instant modified) {
    }

    /** Receives stored blobs one at a time. */
    @FunctionalInterface
    public interface BlobVisitor {
        void visit(StoredBlob blob) throws IOException;
    }

    /**
     * Hands every stored blob to {@code visitor}, shard by shard; uploads in progress are not blobs yet. A blob
     * stored or deleted meanwhile may or may not be seen.
     */
    public void list(BlobVisitor visitor) throws IOException {
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root,
                p -> p.getFileName().toString().matches("[0-9a-f]{2}") && Files.isDirectory(p))) {
            for (Path shard : shards) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        if (!Hashing.isSha256Hex(name) || !name.startsWith(shard.getFileName().toString())) {
                            continue;
                        }
                        BasicFileAttributes attributes;
                        try {
                            attributes = Files.readAttributes(file, BasicFileAttributes.class);
                        } catch (NoSuchFileException e) {
                            continue;
                        }
                        if (attributes.isRegularFile()) {
                            visitor.visit(new StoredBlob(name, attributes.size(),
                                    attributes.lastModifiedTime().toInstant()));
                        }
                    }
                }
            }
        }
        bundles.list(visitor);
    }

    /**
     * Deletes blob {@code sha256} if its modification time is before {@code cutoff}, checked right before the
     * delete; returns its size if it was deleted. The caller must know that nothing refers to it. A blob stored both
     * on its own and in a bundle (uploaded again as the one and then the other) loses each copy that is old enough.
     */
    public OptionalLong deleteIfModifiedBefore(String sha256, Instant cutoff) throws IOException {
        Path file = location(sha256);
        OptionalLong bundled = bundles.deleteIfModifiedBefore(sha256, cutoff);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return bundled;
        }
        // No folder flush: a delete a power loss takes back only leaves garbage for the next collection.
        if (attributes.lastModifiedTime().toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
            return OptionalLong.of(attributes.size() + bundled.orElse(0));
        }
        return bundled;
    }

    /**
     * Rewrites the live blobs of every bundle more than half dead (its other blobs deleted, or stored again since)
     * into one new bundle, after which the old ones are deleted; returns how many blobs moved. Each blob is checked
     * against its hash on the way, and one that no longer matches is left where it is, with an error in the log.
     */
    public int compactBundles() throws IOException {
        Map<String, Bundles.Location> live = bundles.liveInMostlyDead();
        int moved = 0;
        if (!live.isEmpty()) {
            try (Batch batch = batch()) {
                // The newest of the times they were uploaded: moving a blob must not make it look uploaded now.
                batch.uploaded = live.values().stream().map(location -> location.bundle().modified())
                        .max(Comparator.naturalOrder()).orElseThrow();
                for (String sha256 : live.keySet()) {
                    Optional<BlobContent> blob = bundles.open(sha256);
                    if (blob.isEmpty()) {
                        continue; // deleted since
                    }
                    try (BlobContent content = blob.get()) {
                        batch.put(sha256, content.content(), true);
                        moved++;
                    } catch (HashMismatchException e) {
                        LOG.error("blob {} in {} no longer matches its SHA-256 (damaged on disk); left where it is",
                                sha256, live.get(sha256).bundle().file());
                    }
                }
                batch.finish();
            }
        }
        makeDurable(); // the emptied bundles go once the one that replaced them is flushed
        return moved;
    }

    /** Copies {@code content} to {@code out} to its end while hashing it, and checks the hash is {@code sha256}. */
    private static void verify(String sha256, InputStream content, OutputStream out)
            throws IOException, HashMismatchException {
        MessageDigest digest = Hashing.sha256();
        requireHash(sha256, digest, copy(content, out, digest, 0));
    }

    /** Checks that {@code digest}, over {@code size} bytes, is {@code sha256}. */
    private static void requireHash(String sha256, MessageDigest digest, long size) throws HashMismatchException {
        String actual = Hashing.hex(digest.digest());
        if (!actual.equals(sha256)) {
            throw new HashMismatchException(sha256, actual, size);
        }
    }

    /** Fills {@code buffer} from {@code in}, less only at its end; returns how many bytes were read. */
    private static int readUpTo(InputStream in, byte[] buffer) throws IncompleteUploadException {
        int filled = 0;
        while (filled < buffer.length) {
            int n;
            try {
                n = in.read(buffer, filled, buffer.length - filled);
            } catch (IOException e) {
                throw new IncompleteUploadException(filled, e);
            }
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    /**
     * Copies in whole buffers: a socket hands over whatever has arrived, often not a multiple of a page, and a
     * write that ends inside a page makes the file system zero the rest of it first, only to be overwritten by the
     * next write (a third of the server's kernel time when a 1 GiB file is uploaded).
     */
    private static long copy(InputStream in, OutputStream out, MessageDigest digest, long alreadyRead)
            throws IOException {
        byte[] buffer = new byte[FIRST_BUFFER];
        long size = alreadyRead;
        while (true) {
            int filled = 0;
            boolean ended = false;
            while (filled < buffer.length) {
                int n;
                try {
                    n = in.read(buffer, filled, buffer.length - filled);
                } catch (IOException e) {
                    throw new IncompleteUploadException(size + filled, e);
                }
                if (n < 0) {
                    ended = true;
                    break;
                }
                filled += n;
            }
            digest.update(buffer, 0, filled);
            out.write(buffer, 0, filled);
            size += filled;
            if (ended) {
                return size;
            }
            if (buffer.length < BUFFER) {
                buffer = new byte[BUFFER];
            }
        }
    }

    /** Returns true if blob {@code sha256} is stored. */
    public boolean has(String sha256) {
        Path file = location(sha256);
        return bundles.contains(sha256) || isFile(file);
    }

    /**
     * Returns whether {@code file} is a regular file, through {@link java.io.File}: on Java 17 the
     * {@link Files} checks throw and catch an exception for a missing file, with a stack trace as deep as the
     * request handler's, and a pass over many new files asks about thousands of missing blobs.
     */
    private static boolean isFile(Path file) {
        return file.toFile().isFile();
    }

    /** Returns the length of blob {@code sha256} in bytes, or empty if it is not stored. */
    public OptionalLong size(String sha256) throws IOException {
        Path file = location(sha256);
        Optional<Bundles.Location> bundled = bundles.find(sha256);
        if (bundled.isPresent()) {
            return OptionalLong.of(bundled.get().length());
        }
        try {
            return OptionalLong.of(Files.readAttributes(file, BasicFileAttributes.class).size());
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /** Opens blob {@code sha256} for streaming, or returns empty if it is not stored. */
    public Optional<BlobContent> open(String sha256) throws IOException {
        Path file = location(sha256);
        Optional<BlobContent> bundled = bundles.open(sha256);
        if (bundled.isPresent()) {
            return bundled;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BlobContent(channel.size(), channel, 0));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Returns the hashes among {@code hashes} that are not stored, once each, in the order given.
     *
     * @throws InvalidHashException if any hash is malformed (checked before any is looked up)
     */
    public List<String> missing(Collection<String> hashes) {
        return missing(hashes, this::has);
    }

    /**
     * Returns the hashes among {@code hashes} that {@code present} says are not there, once each, in the order given.
     *
     * @throws InvalidHashException if any hash is malformed (checked before any is looked up)
     */
    public static List<String> missing(Collection<String> hashes, Predicate<String> present) {
        hashes.forEach(BlobStore::requireValid);
        List<String> missing = new ArrayList<>();
        for (String hash : new LinkedHashSet<>(hashes)) {
            if (!present.test(hash)) {
                missing.add(hash);
            }
        }
        return missing;
    }

    private Path location(String sha256) {
        requireValid(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /**
     * Checks that {@code sha256} can name a blob: 64 lowercase hex digits.
     *
     * @throws InvalidHashException if it cannot
     */
    public static void requireValid(String sha256) {
        if (!Hashing.isSha256Hex(sha256)) {
            throw new InvalidHashException(sha256);
        }
    }
}
