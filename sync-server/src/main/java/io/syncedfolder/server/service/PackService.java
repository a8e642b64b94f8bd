package io.syncedfolder.server.service;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.protocol.BlockSignature;
import io.syncedfolder.common.protocol.DeltaFormat;
import io.syncedfolder.common.protocol.DeltaReader;
import io.syncedfolder.common.protocol.DeltaWriter;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.PackReader;
import io.syncedfolder.common.protocol.PackUploadResponse;
import io.syncedfolder.common.protocol.PackWriter;
import io.syncedfolder.server.blob.BlobContent;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.blob.HashMismatchException;
import io.syncedfolder.server.blob.IncompleteUploadException;
import io.syncedfolder.server.blob.InvalidHashException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Moves many chunks in one request each way ({@link PackFormat}): stores the records of an uploaded pack, each
 * verified against its hash by the blob store and all flushed to disk together, and streams stored chunks back as
 * a pack; and one chunk at a time as a delta ({@link DeltaFormat}) against a chunk the other side holds, either way.
 *
 * <p>Packs, signatures and uploaded deltas hold no more of a chunk in memory than one copy buffer, so memory does
 * not grow with the size of a pack or of its chunks. A delta made for a download is the exception: it holds both
 * chunks, at most {@value #DELTAS_AT_ONCE} at a time in the whole server.
 *
 * <p>One per namespace: what counts as "already present" and what may be fetched is what this namespace owns
 * ({@link ChunkOwnership}), never what the shared store happens to hold for someone else.
 */
public final class PackService {
    private static final int DELTAS_AT_ONCE = 2;
    private static final int DELTA_WAIT_SECONDS = 10;
    /** Bounds the memory of the deltas made here for downloads, whatever the number of namespaces and requests. */
    private static final Semaphore DELTA_MEMORY = new Semaphore(DELTAS_AT_ONCE);

    private final BlobStore blobs;
    private final ChunkOwnership ownership;

    public PackService(BlobStore blobs, ChunkOwnership ownership) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.ownership = Objects.requireNonNull(ownership, "ownership");
    }

    /**
     * Stores every record of the pack read from {@code body}, in order, until the body ends.
     *
     * <p>Each record is verified as it arrives and kept in one {@link BlobStore.Batch}, which is finished before
     * the answer: the whole pack's content is flushed to disk at once, far faster than record by record. The
     * renames are flushed by the commit that refers to the chunks ({@link BlobStore#makeDurable()}). When a record
     * is refused, the records before it are still stored (each is a complete, verified blob that a retry need
     * not send again) and nothing after it is read.
     *
     * @param contentBytes told each number of chunk content bytes as they are read, whatever becomes of them
     * @throws InvalidRequestException   if a record is malformed or cut short ({@code bad pack}) or its bytes
     *                                   hash to something else ({@code hash mismatch})
     * @throws RequestTooLargeException  if a record is longer than {@link Limits#MAX_PACKED_CHUNK_BYTES} or the
     *                                   pack has more than {@link Limits#MAX_CHUNKS_PER_PACK} records
     * @throws IncompleteUploadException if reading the body failed (the sender went away)
     */
    public PackUploadResponse receive(InputStream body, LongConsumer contentBytes) throws IOException {
        Set<String> received = new LinkedHashSet<>();
        try (BlobStore.Batch batch = blobs.batch()) {
            PackUploadResponse response;
            try {
                response = store(body, batch, contentBytes, received);
            } catch (IOException | RuntimeException refused) {
                keepEarlierRecords(batch, refused);
                ownership.uploaded(received);
                throw refused;
            }
            batch.finish();
            ownership.uploaded(received);
            return response;
        }
    }

    /** Finishes {@code batch} after a refused record, so the records before it are kept as the refusal says. */
    private static void keepEarlierRecords(BlobStore.Batch batch, Exception refused) throws IOException {
        try {
            batch.finish();
        } catch (IOException notKept) {
            // The refusal would say the earlier records were kept; they were not, and that is the fault.
            notKept.addSuppressed(refused);
            throw notKept;
        }
    }

    /** Reads the pack's records into {@code batch} until the body ends; see {@link #receive}. */
    private PackUploadResponse store(InputStream body, BlobStore.Batch batch, LongConsumer contentBytes,
                                     Set<String> received) throws IOException {
        EndAwareInputStream in = new EndAwareInputStream(body);
        // Lengths are checked here rather than by the reader, so an oversized record is 413, not a malformed 400.
        PackReader reader = new PackReader(in, Long.MAX_VALUE);
        int stored = 0;
        int alreadyPresent = 0;
        for (int record = 0; ; record++) {
            Optional<ChunkRef> next = nextRecord(reader, in, record);
            if (next.isEmpty()) {
                return new PackUploadResponse(stored, alreadyPresent);
            }
            ChunkRef chunk = next.get();
            if (record >= Limits.MAX_CHUNKS_PER_PACK) {
                throw new RequestTooLargeException("the pack has more than " + Limits.MAX_CHUNKS_PER_PACK
                        + " records; send at most that many per request" + kept(record));
            }
            if (chunk.size() > Limits.MAX_PACKED_CHUNK_BYTES) {
                throw new RequestTooLargeException(where(record, chunk) + " is " + chunk.size()
                        + " bytes; a packed chunk may have at most " + Limits.MAX_PACKED_CHUNK_BYTES + kept(record));
            }
            try {
                // Content new to this namespace is written even if the store has it, so the time an upload takes
                // does not tell whether another user stores the same bytes.
                boolean owned = ownership.owns(chunk.sha256());
                boolean seen = !received.add(chunk.sha256());
                batch.put(chunk.sha256(), new CountingInputStream(reader.content(), contentBytes), !owned);
                // Counted as this namespace sees it: content another user stored is news to this one.
                if (owned || seen) {
                    alreadyPresent++;
                } else {
                    stored++;
                }
            } catch (HashMismatchException e) {
                throw new InvalidRequestException("hash mismatch", where(record, chunk) + ": " + e.getMessage()
                        + kept(record));
            } catch (IncompleteUploadException e) {
                if (!in.ended()) {
                    throw e;
                }
                throw new InvalidRequestException("bad pack", where(record, chunk) + " is cut short: "
                        + e.getCause().getMessage() + kept(record));
            }
        }
    }

    private static Optional<ChunkRef> nextRecord(PackReader reader, EndAwareInputStream in, int record)
            throws IOException {
        try {
            return reader.next();
        } catch (PackReader.PackFormatException e) {
            throw new InvalidRequestException("bad pack", "records[" + record + "]: " + e.getMessage()
                    + kept(record));
        } catch (IOException e) {
            throw new IncompleteUploadException(in.count(), e);
        }
    }

    private static String where(int record, ChunkRef chunk) {
        return "records[" + record + "] (chunk " + chunk.sha256() + ")";
    }

    /** Says what became of the records before a refused one, so the sender knows a retry need not resend them. */
    private static String kept(int before) {
        return before == 0 ? "; nothing was stored"
                : "; the " + before + (before == 1 ? " record" : " records") + " before it were kept";
    }

    /**
     * Decides what a fetch of {@code hashes} sends: every chunk in the order asked for, duplicates included, or,
     * if any is not stored or not this namespace's, nothing.
     *
     * @throws InvalidRequestException if there are more than {@link Limits#MAX_HASHES_PER_QUERY} hashes
     * @throws InvalidHashException    if any hash is malformed (checked before any is looked up)
     */
    public FetchPlan plan(List<String> hashes) throws IOException {
        if (hashes.size() > Limits.MAX_HASHES_PER_QUERY) {
            throw InvalidRequestException.badRequest("asked for " + hashes.size() + " chunks; at most "
                    + Limits.MAX_HASHES_PER_QUERY + " are allowed at once");
        }
        hashes.forEach(BlobStore::requireValid);
        Map<String, Long> sizes = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String hash : new LinkedHashSet<>(hashes)) {
            OptionalLong size = ownership.owns(hash) ? blobs.size(hash) : OptionalLong.empty();
            if (size.isPresent()) {
                sizes.put(hash, size.getAsLong());
            } else {
                unknown.add(hash);
            }
        }
        if (!unknown.isEmpty()) {
            return new FetchPlan.Unknown(unknown);
        }
        List<ChunkRef> chunks = new ArrayList<>(hashes.size());
        for (String hash : hashes) {
            chunks.add(new ChunkRef(hash, sizes.get(hash)));
        }
        return new FetchPlan.Ready(chunks);
    }

    /**
     * Writes the pack {@code plan} describes to {@code out}, reading each chunk from disk as it is written;
     * exactly {@link FetchPlan.Ready#contentLength()} bytes unless it fails.
     *
     * @param contentBytes told each number of chunk content bytes as they are read to be sent
     * @throws IOException if writing fails (the receiver went away) or a chunk is no longer as planned; the pack
     *                     is then cut short, which the receiver sees by its length
     */
    public void send(FetchPlan.Ready plan, OutputStream out, LongConsumer contentBytes) throws IOException {
        PackWriter writer = new PackWriter(out);
        for (ChunkRef chunk : plan.chunks()) {
            Optional<BlobContent> blob = blobs.open(chunk.sha256());
            if (blob.isEmpty()) {
                // The collector deleted it after the plan (no version refers to it any longer), or someone
                // removed it from the data directory; the receiver sees the pack cut short.
                throw new NoSuchFileException("blob " + chunk.sha256() + " vanished while a pack was sent");
            }
            try (BlobContent content = blob.get()) {
                if (content.size() != chunk.size()) {
                    throw new IOException("blob " + chunk.sha256() + " changed length while a pack was sent");
                }
                writer.write(chunk, new CountingInputStream(content.content(), contentBytes));
            }
        }
    }

    /**
     * Returns the {@link DeltaFormat} delta that rebuilds {@code chunk} from {@code base}, both stored and this
     * namespace's ({@link #plan} says so). Both are read into memory, so they may have at most
     * {@link DeltaFormat#MAX_CHUNK_BYTES} each and at most {@value #DELTAS_AT_ONCE} deltas are made at once.
     *
     * @throws InvalidRequestException if either chunk is larger than that
     */
    public byte[] delta(ChunkRef chunk, ChunkRef base) throws IOException {
        requireDeltaSized(chunk);
        requireDeltaSized(base);
        takeDeltaMemory();
        try {
            ByteArrayOutputStream delta = new ByteArrayOutputStream();
            DeltaWriter.write(readAll(base), readAll(chunk), delta);
            return delta.toByteArray();
        } finally {
            DELTA_MEMORY.release();
        }
    }

    /**
     * Returns the {@link BlockSignature} of {@code base}, stored and this namespace's ({@link #plan} says so), for
     * a client to send a new chunk as a delta against it; read block by block, never held whole.
     *
     * @throws InvalidRequestException if the chunk is larger than {@link DeltaFormat#MAX_CHUNK_BYTES}
     */
    public BlockSignature signature(ChunkRef base) throws IOException {
        requireDeltaSized(base);
        try (BlobContent content = openSized(base)) {
            return BlockSignature.of(content.content(), base.size(), BlockSignature.BLOCK_SIZE);
        }
    }

    /**
     * Stores chunk {@code sha256} of {@code size} bytes, rebuilt from {@code base} (stored and this namespace's)
     * and the {@link DeltaFormat} delta read from {@code body} to its end; returns whether it was new to this
     * namespace. Nothing is stored unless the rebuilt bytes hash to {@code sha256}.
     *
     * <p>The chunk is rebuilt as it is written to the store, copying from the base's file and from the body as the
     * delta says, so neither the chunk, its base nor the delta is held in memory: like any upload, a delta costs a
     * copy buffer, whatever its size and however slowly it arrives.
     *
     * @throws InvalidRequestException  if the delta is malformed ({@code bad delta}) or does not rebuild the chunk
     *                                  ({@code hash mismatch}), or either chunk is larger than
     *                                  {@link DeltaFormat#MAX_CHUNK_BYTES}
     * @throws RequestTooLargeException if the delta is longer than twice the chunk
     */
    public boolean receiveDelta(String sha256, long size, ChunkRef base, InputStream body) throws IOException {
        requireDeltaSized(new ChunkRef(sha256, size));
        requireDeltaSized(base);
        boolean known = ownership.has(sha256);
        // Twice the chunk leaves room for any honest delta.
        long limit = 2 * size + 1024;
        BoundedBody delta = new BoundedBody(body, limit, "a delta of a chunk of " + size + " bytes may have at most "
                + limit + " bytes; send the chunk whole");
        try (BlobContent baseContent = openSized(base)) {
            InputStream chunk = DeltaReader.stream(baseContent.deltaBase(), delta, size);
            // Written even if the store has it from someone else, as for any upload.
            blobs.put(sha256, chunk, !known);
        } catch (IncompleteUploadException e) {
            if (e.getCause() instanceof DeltaReader.DeltaFormatException malformed) {
                throw new InvalidRequestException("bad delta", malformed.getMessage() + "; nothing was stored");
            }
            // Told in bytes of the body, not of the chunk rebuilt so far.
            throw new IncompleteUploadException(delta.count(), (IOException) e.getCause());
        } catch (HashMismatchException e) {
            throw new InvalidRequestException("hash mismatch", "the delta does not rebuild chunk " + sha256
                    + " from " + base.sha256() + "; nothing was stored");
        }
        ownership.uploaded(List.of(sha256));
        return !known;
    }

    /**
     * Takes one of the permits that bound the memory of deltas made here; when they stay taken for long, the server
     * is too busy for deltas and says so ({@link BusyException}), and the client transfers the chunk whole.
     */
    private static void takeDeltaMemory() {
        try {
            if (!DELTA_MEMORY.tryAcquire(DELTA_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new BusyException("the server is busy with other deltas; transfer the chunk whole");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("the server is stopping");
        }
    }

    private static void requireDeltaSized(ChunkRef chunk) {
        if (chunk.size() < 0 || chunk.size() > DeltaFormat.MAX_CHUNK_BYTES) {
            throw InvalidRequestException.badRequest("chunk " + chunk.sha256() + " has " + chunk.size()
                    + " bytes; deltas are made of chunks of at most " + DeltaFormat.MAX_CHUNK_BYTES
                    + " bytes: transfer it whole");
        }
    }

    private byte[] readAll(ChunkRef chunk) throws IOException {
        try (BlobContent content = openSized(chunk)) {
            byte[] bytes = content.content().readNBytes((int) chunk.size());
            if (bytes.length != chunk.size()) {
                throw new IOException("blob " + chunk.sha256() + " changed length while a delta was made");
            }
            return bytes;
        }
    }

    /** Opens stored {@code chunk} for a delta, checking it has the length {@link #plan} found. */
    private BlobContent openSized(ChunkRef chunk) throws IOException {
        BlobContent content = blobs.open(chunk.sha256()).orElseThrow(
                () -> new NoSuchFileException("blob " + chunk.sha256() + " vanished while a delta was made"));
        if (content.size() != chunk.size()) {
            content.close();
            throw new IOException("blob " + chunk.sha256() + " changed length while a delta was made");
        }
        return content;
    }

    /** Counts the bytes read from a body and notes whether it ended: a pack cut short, not a broken connection. */
    private static final class EndAwareInputStream extends FilterInputStream {
        private long count;
        private boolean ended;

        EndAwareInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        boolean ended() {
            return ended;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            note(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            note(n);
            return n;
        }

        private void note(int n) {
            if (n < 0) {
                ended = true;
            } else {
                count += n;
            }
        }
    }
}
