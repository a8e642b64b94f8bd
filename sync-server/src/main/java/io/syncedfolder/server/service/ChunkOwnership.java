package io.syncedfolder.server.service;

import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.server.blob.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows which chunks one namespace (one user) may see: those it uploaded itself, and those its index refers to.
 * The blob store is shared by every user and stores identical content once; this keeps the sharing invisible.
 * Asking whether a chunk is missing, downloading it, and committing a file that uses it all treat a chunk the user
 * does not own exactly like one that is not stored, so nobody can learn whether another user has some content:
 * to get a chunk counted as present a user must upload its bytes, which proves they have it already.
 *
 * <p>Persisted as {@code owned-chunks.log} in the namespace's folder: one SHA-256 per line, appended (and forced to
 * disk) after the uploaded chunks are stored. On open, the chunks the index refers to are owned anyway; the file
 * is rewritten atomically with only the uploaded chunks the index does not refer to and the store still holds, so
 * it stays small. A torn last line from a crash is skipped; losing a line can only make a chunk count as missing,
 * which costs one upload again and never shows anything to anyone.
 */
public final class ChunkOwnership implements AutoCloseable {
    static final String FILE = "owned-chunks.log";

    private final BlobStore blobs;
    private final Path file;
    private final Set<String> owned;
    private final FileChannel journal;

    private ChunkOwnership(BlobStore blobs, Path file, Set<String> owned, FileChannel journal) {
        this.blobs = blobs;
        this.file = file;
        this.owned = owned;
        this.journal = journal;
    }

    /**
     * Opens the ownership record of the namespace in {@code dir}.
     *
     * @param referenced every chunk the namespace's index refers to (current and earlier versions)
     */
    public static ChunkOwnership open(Path dir, Set<String> referenced, BlobStore blobs) throws IOException {
        Path file = dir.resolve(FILE);
        Set<String> uploaded = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                if (Hashing.isSha256Hex(line) && !referenced.contains(line) && blobs.has(line)) {
                    uploaded.add(line);
                }
            }
        } catch (NoSuchFileException e) {
            // a namespace nobody uploaded to yet
        }
        byte[] compacted = lines(uploaded).getBytes(StandardCharsets.ISO_8859_1);
        AtomicFiles.writeBytes(file, compacted);
        Set<String> owned = ConcurrentHashMap.newKeySet(referenced.size() + uploaded.size());
        owned.addAll(referenced);
        owned.addAll(uploaded);
        FileChannel journal = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new ChunkOwnership(blobs, file, owned, journal);
    }

    private static String lines(Collection<String> hashes) {
        StringBuilder text = new StringBuilder(hashes.size() * 65);
        for (String hash : hashes) {
            text.append(hash).append('\n');
        }
        return text.toString();
    }

    /** Returns true if this namespace owns {@code sha256} and the store holds it: it may be read. */
    public boolean has(String sha256) {
        return owned.contains(sha256) && blobs.has(sha256);
    }

    /** Returns true if this namespace owned {@code sha256} before (whether or not it is still stored). */
    boolean owns(String sha256) {
        return owned.contains(sha256);
    }

    /**
     * Returns the hashes among {@code hashes} this namespace cannot use, once each, in the order given: those it
     * does not own and those the store no longer holds.
     *
     * @throws io.syncedfolder.server.blob.InvalidHashException if any hash is malformed (checked first)
     */
    public List<String> missing(Collection<String> hashes) {
        return BlobStore.missing(hashes, this::has);
    }

    /** Records that this namespace uploaded {@code hashes}, already stored and verified; durable on return. */
    public synchronized void uploaded(Collection<String> hashes) throws IOException {
        List<String> fresh = new ArrayList<>();
        for (String hash : hashes) {
            if (!owned.contains(hash)) {
                fresh.add(hash);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines(fresh).getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            journal.write(bytes);
        }
        journal.force(false);
        owned.addAll(fresh);
    }

    @Override
    public synchronized void close() throws IOException {
        journal.close();
    }

    @Override
    public String toString() {
        return "ChunkOwnership[" + Objects.toString(file) + ", " + owned.size() + " chunks]";
    }
}
