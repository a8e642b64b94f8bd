package io.syncedfolder.server.blob;

import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.Hashing;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores blobs by the SHA-256 of their content in {@code <root>/<first 2 hex>/<sha256>}.
 *
 * <p>An upload is streamed to {@code <root>/tmp/} while it is hashed; only bytes that match their name are
 * fsynced and renamed into place, so a visible blob is always complete and correct, whatever crashes. Every
 * hash is checked to be 64 lowercase hex digits before it becomes part of a file name.
 */
public final class BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
    private static final int BUFFER = 128 * 1024;
    private static final String TMP = "tmp";

    /** What {@link #put} did. */
    public enum PutResult {
        STORED,
        ALREADY_PRESENT
    }

    private final Path root;
    private final Path tmp;

    private BlobStore(Path root) {
        this.root = root;
        this.tmp = root.resolve(TMP);
    }

    /** Opens the store in {@code root}, creating it if needed and deleting uploads a crash interrupted. */
    public static BlobStore open(Path root) throws IOException {
        BlobStore store = new BlobStore(root.toAbsolutePath().normalize());
        Files.createDirectories(store.tmp);
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(store.tmp)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} unfinished uploads from {}", removed, store.tmp);
        }
        return store;
    }

    /**
     * Stores the bytes of {@code content} as blob {@code sha256}, reading the stream to its end.
     *
     * @throws HashMismatchException      if the bytes hash to something else; nothing is stored
     * @throws IncompleteUploadException  if reading {@code content} fails; nothing is stored
     * @throws InvalidHashException       if {@code sha256} is not lowercase hex SHA-256
     */
    public PutResult put(String sha256, InputStream content) throws IOException, HashMismatchException {
        Path target = location(sha256);
        Path temp = Files.createTempFile(tmp, "upload-", ".part");
        try {
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                MessageDigest digest = Hashing.sha256();
                long size = copy(content, out, digest);
                String actual = Hashing.hex(digest.digest());
                if (!actual.equals(sha256)) {
                    throw new HashMismatchException(sha256, actual, size);
                }
                if (Files.exists(target)) {
                    return PutResult.ALREADY_PRESENT;
                }
                out.getFD().sync();
            }
            Path shard = target.getParent();
            if (Files.notExists(shard)) {
                Files.createDirectories(shard);
                AtomicFiles.fsyncDirectory(root);
            }
            AtomicFiles.moveAtomically(temp, target);
            return PutResult.STORED;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static long copy(InputStream in, FileOutputStream out, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new IncompleteUploadException(size, e);
            }
            if (n < 0) {
                return size;
            }
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size += n;
        }
    }

    /** Returns true if blob {@code sha256} is stored. */
    public boolean has(String sha256) {
        return Files.isRegularFile(location(sha256));
    }

    /** Opens blob {@code sha256} for streaming, or returns empty if it is not stored. */
    public Optional<BlobContent> open(String sha256) throws IOException {
        Path file = location(sha256);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BlobContent(channel.size(), Channels.newInputStream(channel)));
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
        hashes.forEach(BlobStore::requireValid);
        List<String> missing = new ArrayList<>();
        for (String hash : new LinkedHashSet<>(hashes)) {
            if (!has(hash)) {
                missing.add(hash);
            }
        }
        return missing;
    }

    private Path location(String sha256) {
        requireValid(sha256);
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static void requireValid(String sha256) {
        if (!Hashing.isSha256Hex(sha256)) {
            throw new InvalidHashException(sha256);
        }
    }
}
