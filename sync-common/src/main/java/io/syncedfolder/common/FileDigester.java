package io.syncedfolder.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes a file's {@link FileDigest} in one streaming read: the whole-file SHA-256, and the
 * {@link Chunker} chunks with each chunk's SHA-256 and size. Memory stays a few MiB whatever the size.
 *
 * <p>A stream with no cut point (every file under {@link Chunker#MIN_SIZE}) is one chunk whose hash is
 * the whole-file hash, hashed once. In general the first chunk is hashed once too: at its end the
 * whole-file hash continues from a copy of the chunk hash's state.
 *
 * <p>For a file larger than {@link #PIPELINE_THRESHOLD} (or a stream once it has passed it), the work is
 * split into three stages of about the same cost, each on its own thread: reading and finding the cut
 * points, the chunks' SHA-256, the whole file's SHA-256. With the reading thread also hashing the chunks
 * (the two-stage pipeline before), it alone took about as long as the other two stages together; the three
 * stages keep both cores busy, and a 1 GiB file was digested in 1.20-1.37 s instead of 1.52-1.65 s
 * (by hand, alternating, 2026-12-03; {@code bench/jmh/README.md}). Small files never pay for the hand-off.
 */
public final class FileDigester {
    /** Read size; a full buffer is 1 MiB, so the reads' overhead is small next to the hashing. */
    static final int BUFFER_SIZE = 1024 * 1024;
    /** Streams longer than this are hashed on two helper threads. */
    static final long PIPELINE_THRESHOLD = 8L * 1024 * 1024;
    /** Buffers in flight between the threads, 8 MiB in all: 4 left the hashers waiting for each other. */
    private static final int PIPELINE_BUFFERS = 8;
    /** Smallest first buffer, for a file that is empty or tiny when it is opened but may grow. */
    private static final int MIN_BUFFER_SIZE = 8 * 1024;

    private FileDigester() {
    }

    /** Returns the digest of {@code file}'s content as read now. */
    public static FileDigest digest(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file);
                InputStream in = Channels.newInputStream(channel)) {
            // A buffer one byte longer than the file reads a small file and sees its end in one pass,
            // without allocating a full buffer for each of many small files.
            long expected = channel.size();
            int bufferSize = (int) Math.max(MIN_BUFFER_SIZE, Math.min(BUFFER_SIZE, expected + 1));
            // A file known to be large starts the pipeline after its first buffer.
            long pipelineThreshold = expected > PIPELINE_THRESHOLD ? 0 : PIPELINE_THRESHOLD;
            return digest(in, bufferSize, pipelineThreshold);
        }
    }

    /** Returns the digest of everything left in {@code in}; the caller closes it. */
    public static FileDigest digest(InputStream in) throws IOException {
        return digest(in, BUFFER_SIZE, PIPELINE_THRESHOLD);
    }

    /**
     * Returns the digest of {@code in}, read with a first buffer of {@code bufferSize} bytes, moving the
     * hashing to helper threads once more than {@code pipelineThreshold} bytes have been read.
     */
    static FileDigest digest(InputStream in, int bufferSize, long pipelineThreshold) throws IOException {
        Digestion digestion = new Digestion();
        byte[] buffer = new byte[bufferSize];
        for (;;) {
            int n = in.readNBytes(buffer, 0, buffer.length);
            digestion.update(buffer, n);
            if (n < buffer.length) {
                return digestion.finish(digestion.takeWholeHash().digest());
            }
            if (digestion.size > pipelineThreshold) {
                return pipelined(in, digestion);
            }
            if (buffer.length < BUFFER_SIZE) {
                buffer = new byte[BUFFER_SIZE]; // the file has grown since its size was read
            }
        }
    }

    /**
     * Continues a digestion on three threads until the end of {@code in}: this one reads and finds the cut points,
     * one helper hashes the chunks, another the whole file. Each buffer goes to both helpers and is reused once
     * both are done with it.
     */
    private static FileDigest pipelined(InputStream in, Digestion digestion) throws IOException {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(PIPELINE_BUFFERS);
        for (int i = 0; i < PIPELINE_BUFFERS; i++) {
            free.add(new byte[BUFFER_SIZE]);
        }
        // At most PIPELINE_BUFFERS blocks are in flight, so there is always room for the end marker too.
        BlockingQueue<Filled> toChunkHasher = new ArrayBlockingQueue<>(PIPELINE_BUFFERS + 1);
        BlockingQueue<Filled> toWholeHasher = new ArrayBlockingQueue<>(PIPELINE_BUFFERS + 1);
        MessageDigest whole = digestion.takeWholeHash();
        FutureTask<byte[]> wholeHasher = helper("sha256-whole-file", () -> {
            for (Filled block = toWholeHasher.take(); block.length >= 0; block = toWholeHasher.take()) {
                whole.update(block.data, 0, block.length);
                block.release(free);
            }
            return whole.digest();
        });
        FutureTask<Void> chunkHasher = helper("sha256-chunks", () -> {
            for (Filled block = toChunkHasher.take(); block.length >= 0; block = toChunkHasher.take()) {
                digestion.hashChunks(block.data, block.length, block.cuts);
                block.release(free);
            }
            return null;
        });
        boolean ended = false;
        try {
            int n;
            do {
                byte[] buffer = free.take();
                n = in.readNBytes(buffer, 0, buffer.length);
                Filled block = new Filled(buffer, n, digestion.cutsIn(buffer, n));
                toChunkHasher.put(block);
                toWholeHasher.put(block);
            } while (n == BUFFER_SIZE);
            toChunkHasher.put(Filled.END);
            toWholeHasher.put(Filled.END);
            ended = true;
            chunkHasher.get(); // the digestion's chunks are complete, and visible to this thread
            return digestion.finish(wholeHasher.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError("hashing a buffer throws no exception", e.getCause());
        } finally {
            if (!ended) {
                toChunkHasher.add(Filled.END);
                toWholeHasher.add(Filled.END);
            }
        }
    }

    /** Starts {@code work} on a daemon thread named {@code name}. */
    private static <T> FutureTask<T> helper(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /**
     * A buffer handed to the hashers, holding {@code length} bytes with chunks ending at {@code cuts}; a negative
     * length ends the stream.
     */
    private record Filled(byte[] data, int length, int[] cuts, AtomicInteger users) {
        static final Filled END = new Filled(new byte[0], -1, new int[0]);

        Filled(byte[] data, int length, int[] cuts) {
            this(data, length, cuts, new AtomicInteger(2));
        }

        /** Notes that one hasher is done with the buffer; the last one puts it back into {@code free}. */
        void release(BlockingQueue<byte[]> free) {
            if (users.decrementAndGet() == 0) {
                free.add(data);
            }
        }
    }

    /** The chunk side of a digest, plus the whole-file hash while this thread computes it. */
    private static final class Digestion {
        private static final int[] NO_CUTS = {};
        private final Chunker chunker = new Chunker();
        private final List<ChunkRef> chunks = new ArrayList<>();
        private final MessageDigest chunkHash = Hashing.sha256();
        private long chunkSize;
        private long size;
        /** Null until the first cut, when it starts from the first chunk's state; null again once taken. */
        private MessageDigest whole;
        /** True once another owner continues the whole-file hash. */
        private boolean wholeTaken;

        /** Adds {@code data[0, length)} to the chunks and to the whole-file hash, all on this thread. */
        void update(byte[] data, int length) {
            int[] cuts = cutsIn(data, length);
            int wholeFrom = whole != null ? 0 : cuts.length > 0 ? cuts[0] : length;
            hashChunks(data, length, cuts); // its first cut starts the whole-file hash
            if (whole != null) {
                whole.update(data, wholeFrom, length - wholeFrom);
            }
        }

        /** Returns the offsets in {@code data[0, length)} where a chunk ends; the chunker moves on past them. */
        int[] cutsIn(byte[] data, int length) {
            int[] cuts = NO_CUTS;
            int count = 0;
            for (int pos = 0; pos < length; ) {
                int cut = chunker.nextCut(data, pos, length);
                if (cut < 0) {
                    break;
                }
                if (count == cuts.length) {
                    cuts = Arrays.copyOf(cuts, Math.max(4, 2 * count));
                }
                cuts[count++] = cut;
                pos = cut;
            }
            return count == cuts.length ? cuts : Arrays.copyOf(cuts, count);
        }

        /** Adds {@code data[0, length)} to the chunks, ending one at each of {@code cuts} (from {@link #cutsIn}). */
        void hashChunks(byte[] data, int length, int[] cuts) {
            size += length;
            int pos = 0;
            for (int cut : cuts) {
                chunkHash.update(data, pos, cut - pos);
                chunkSize += cut - pos;
                endChunk();
                pos = cut;
            }
            chunkHash.update(data, pos, length - pos);
            chunkSize += length - pos;
        }

        /** Returns the whole-file hash of everything added so far, for another owner to continue. */
        MessageDigest takeWholeHash() {
            MessageDigest taken = whole != null ? whole : copy(chunkHash);
            whole = null;
            wholeTaken = true;
            return taken;
        }

        FileDigest finish(byte[] wholeHash) {
            if (chunkSize > 0) {
                endChunk();
            }
            return new FileDigest(Hashing.hex(wholeHash), size, chunks);
        }

        private void endChunk() {
            if (whole == null && !wholeTaken) {
                whole = copy(chunkHash); // up to the first cut, the whole file is the first chunk
            }
            chunks.add(new ChunkRef(Hashing.hex(chunkHash.digest()), chunkSize));
            chunkSize = 0;
        }

        private static MessageDigest copy(MessageDigest digest) {
            try {
                return (MessageDigest) digest.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError("the JDK's SHA-256 is cloneable", e);
            }
        }
    }
}
