package io.syncedfolder.client.exec;

import io.syncedfolder.client.remote.FileRange;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.DirectWrites;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.WriteBehind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a remote file's content in a part file in {@code .sync/tmp}, chunk by chunk, each checked against
 * its SHA-256: chunks this client already holds are copied from disk, a large chunk edited since the local
 * version is fetched as a delta against that version's chunk at its place, the rest are fetched in packed
 * requests, a few at once.
 *
 * <p>The part file is named after the file's SHA-256 and survives an interruption, even a kill: the next
 * attempt keeps every chunk it already holds at its place (checked again) and fetches only the rest.
 */
final class FileAssembler {
    static final String PART_SUFFIX = ".part";
    /** Bytes asked for in one fetch; large enough that request overhead vanishes, small enough to resume. */
    static final long FETCH_BYTES = 8L * 1024 * 1024;
    private static final int FETCH_CHUNKS = 1000;
    /** Bytes copied from disk by one task: few tasks, but enough of them for both cores on a large file. */
    private static final long COPY_GROUP_BYTES = 32L * 1024 * 1024;
    /**
     * The size from which a file's content bypasses the page cache ({@link DirectWrites}): below it, a direct write
     * per stretch would wait on the disk for little gain.
     */
    static final long DIRECT_FROM = 16L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(FileAssembler.class);

    private final Path tempDir;
    private final ServerClient server;
    private final DiskHook hook;

    FileAssembler(Path tempDir, ServerClient server, DiskHook hook) {
        this.tempDir = tempDir;
        this.server = server;
        this.hook = hook;
    }

    /** Returns the part file where {@code remote}'s content is assembled. */
    Path partFor(FileEntry remote) {
        return tempDir.resolve(remote.sha256() + PART_SUFFIX);
    }

    /**
     * Assembles {@code remote}'s content and returns the file holding it, flushed to disk: its part file, or the
     * staged chunk that is the whole content of a one-chunk file fetched ahead, which then need not be moved twice.
     *
     * @param previous where the chunks of the file's local version lie, if there is one: the bases of deltas
     */
    Path assemble(FileEntry remote, LocalChunks local, List<FileRange> previous) throws IOException {
        Path part = partFor(remote);
        hook.before(DiskHook.Step.WRITE_PART, part);
        List<ChunkRef> chunks = remote.chunks();
        // java.io.File: on Java 17, Files.exists throws and catches an exception for a missing file, and the part
        // file of a small file is missing ten thousand times in a pass of many new files.
        if (chunks.size() == 1 && !part.toFile().exists()) {
            Optional<Path> staged = local.takeStaged(chunks.get(0).sha256());
            if (staged.isPresent()) {
                return staged.get();
            }
        }
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
                DirectWrites writes = remote.size() >= DIRECT_FROM ? DirectWrites.open(part, out)
                        : DirectWrites.through(out);
                WriteBehind flush = new WriteBehind(out)) {
            new Assembly(out, writes, flush, part, chunks, local, previous).run();
            if (out.size() != remote.size()) {
                throw new IOException("the assembled content of " + remote.path() + " has " + out.size()
                        + " bytes, not " + remote.size());
            }
            flush.finish();
        } catch (IOException e) {
            if (Files.size(part) == 0) {
                Files.delete(part); // nothing to resume
            }
            throw e;
        } finally {
            local.forget(part);
        }
        return part;
    }

    /** A chunk of the file being assembled, at its place in it, with where else it lies on disk if known. */
    private record Placed(ChunkRef chunk, long position, FileRange from) {
    }

    /** A chunk to fetch as a delta against {@code base}, a chunk of the file's local version. */
    private record Edited(Placed chunk, FileRange base) {
    }

    /** Consecutive chunks fetched in one request, written from {@code start} on. */
    private static final class Run {
        private final long start;
        private final List<ChunkRef> chunks = new ArrayList<>();
        private long bytes;
        private volatile boolean done;

        Run(long start) {
            this.start = start;
        }

        boolean isFullWith(ChunkRef chunk) {
            return chunks.size() == FETCH_CHUNKS || bytes + chunk.size() > FETCH_BYTES;
        }

        void add(ChunkRef chunk) {
            chunks.add(chunk);
            bytes += chunk.size();
        }
    }

    /** One file's assembly: where it stands and what is left. */
    private final class Assembly {
        private final FileChannel out;
        private final DirectWrites writes;
        private final WriteBehind flush;
        private final Path part;
        private final List<ChunkRef> chunks;
        private final LocalChunks local;
        private final List<FileRange> previous;

        Assembly(FileChannel out, DirectWrites writes, WriteBehind flush, Path part, List<ChunkRef> chunks,
                 LocalChunks local, List<FileRange> previous) {
            this.out = out;
            this.writes = writes;
            this.flush = flush;
            this.part = part;
            this.chunks = chunks;
            this.local = local;
            this.previous = previous;
        }

        /**
         * Keeps the chunks an interrupted attempt left in the part file (each checked again, wherever it lies),
         * copies what is elsewhere on disk, fetches deltas of edited chunks, then fetches the rest in runs of
         * consecutive chunks, a few runs at once, each written at its own place in the part file.
         */
        void run() throws IOException {
            List<Placed> copies = new ArrayList<>();
            List<Placed> missing = new ArrayList<>();
            long position = 0;
            for (ChunkRef chunk : chunks) {
                if (ChunkCopy.holds(out, position, chunk)) {
                    placed(chunk, position);
                } else {
                    Optional<FileRange> there = local.find(chunk.sha256());
                    (there.isPresent() ? copies : missing).add(new Placed(chunk, position, there.orElse(null)));
                }
                position += chunk.size();
            }
            missing.addAll(copyAll(copies));
            long missingBytes = missing.stream().mapToLong(chunk -> chunk.chunk().size()).sum();
            if (!previous.isEmpty() && DeltaBases.isEdit(missingBytes, position)) {
                missing = fetchDeltas(missing);
            }
            missing.sort(Comparator.comparingLong(Placed::position));
            List<Run> toFetch = runsOf(missing);
            try {
                for (Transfers.Failure<Run> failure : Transfers.runAll(toFetch, this::fetch)) {
                    throw failure.error();
                }
            } catch (IOException e) {
                // Cut off what may be unchecked bytes; the next attempt checks every chunk before it anyway.
                out.truncate(toFetch.stream().filter(run -> !run.done).mapToLong(run -> run.start).min().orElse(position));
                throw e;
            }
            out.truncate(position);
        }

        /**
         * Copies chunks from where they lie on disk, in groups that run a few at once: reading, checking and
         * writing a large file's chunks then keeps both cores busy. Returns the chunks that were no longer
         * there (the file changed since), to be fetched instead.
         */
        private List<Placed> copyAll(List<Placed> copies) throws IOException {
            List<Placed> notThere = Collections.synchronizedList(new ArrayList<>());
            List<List<Placed>> groups = Transfers.packs(copies, copy -> copy.chunk().size(), COPY_GROUP_BYTES,
                    Integer.MAX_VALUE);
            for (Transfers.Failure<List<Placed>> failure : Transfers.runAll(groups, group -> {
                List<Placed> copied = new ArrayList<>();
                DirectWrites.Stretch stretch = null;
                for (Placed copy : group) {
                    // A new stretch where the chunks are not contiguous, or a failed copy left the stretch short.
                    if (stretch == null || stretch.position() != copy.position()) {
                        if (stretch != null) {
                            stretch.finish();
                        }
                        stretch = writes.from(copy.position());
                    }
                    if (ChunkCopy.copy(copy.from(), stretch)) {
                        copied.add(copy);
                    } else {
                        notThere.add(copy);
                    }
                }
                if (stretch != null) {
                    stretch.finish();
                }
                copied.forEach(copy -> placed(copy.chunk(), copy.position())); // in the file only once finished
            })) {
                throw failure.error();
            }
            return notThere;
        }

        /**
         * Fetches as deltas the large missing chunks that overlap a chunk of the local version, a few at once;
         * returns the chunks still to fetch whole, with those whose delta could not be used.
         */
        private List<Placed> fetchDeltas(List<Placed> missing) throws IOException {
            List<Placed> whole = Collections.synchronizedList(new ArrayList<>());
            List<Edited> edited = new ArrayList<>();
            List<ChunkRef> previousChunks = previous.stream().map(FileRange::chunk).toList();
            for (Placed chunk : missing) {
                int base = DeltaBases.baseOf(previousChunks, chunk.position(), chunk.chunk().size());
                if (base >= 0) {
                    edited.add(new Edited(chunk, previous.get(base)));
                } else {
                    whole.add(chunk);
                }
            }
            for (Transfers.Failure<Edited> failure : Transfers.runAll(edited, chunk -> {
                if (!fetchDelta(chunk.chunk(), chunk.base())) {
                    whole.add(chunk.chunk());
                }
            })) {
                throw failure.error();
            }
            return whole;
        }

        /**
         * Rebuilds a chunk from its base on disk and a delta from the server, and writes it in place; false if
         * the base is no longer on disk or the delta cannot be had or does not rebuild the chunk.
         */
        private boolean fetchDelta(Placed chunk, FileRange base) throws IOException {
            byte[] bytes;
            try {
                Optional<byte[]> baseBytes = ChunkCopy.read(base);
                if (baseBytes.isEmpty()) {
                    return false;
                }
                bytes = server.fetchDelta(chunk.chunk(), base.chunk(), baseBytes.get());
            } catch (IOException e) {
                if (Transfers.isFatal(e) || e instanceof InterruptedIOException) {
                    throw e; // the whole fetch would fail the same way
                }
                LOG.debug("fetching chunk {} whole: no delta ({})", chunk.chunk().sha256(), e.getMessage());
                return false;
            }
            if (!Hashing.sha256Hex(bytes).equals(chunk.chunk().sha256())) {
                LOG.debug("fetching chunk {} whole: its delta did not rebuild it", chunk.chunk().sha256());
                return false;
            }
            hook.before(DiskHook.Step.WRITE_PART, part);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            for (long at = chunk.position(); buffer.hasRemaining(); ) {
                at += out.write(buffer, at);
            }
            placed(chunk.chunk(), chunk.position());
            return true;
        }

        /** Notes a chunk now in the part file, so a repeated chunk is copied rather than fetched. */
        private void placed(ChunkRef chunk, long position) {
            flush.wrote(chunk.size()); // a kept chunk of an interrupted attempt may not be on disk either
            local.add(new FileRange(chunk, part, position));
        }

        /** Groups chunks to fetch, in file order, into runs of consecutive chunks of bounded size. */
        private static List<Run> runsOf(List<Placed> missing) {
            List<Run> runs = new ArrayList<>();
            Run open = null;
            for (Placed chunk : missing) {
                if (open == null || open.isFullWith(chunk.chunk()) || open.start + open.bytes != chunk.position()) {
                    open = new Run(chunk.position());
                    runs.add(open);
                }
                open.add(chunk.chunk());
            }
            return runs;
        }

        private void fetch(Run run) throws IOException {
            DirectWrites.Stretch stretch = writes.from(run.start);
            server.fetchPack(run.chunks, (chunk, content) -> {
                hook.before(DiskHook.Step.WRITE_PART, part);
                if (!ChunkCopy.copy(content, chunk, stretch)) {
                    throw new IOException("chunk " + chunk.sha256() + " from the server does not match its SHA-256");
                }
                flush.wrote(chunk.size());
            });
            stretch.finish();
            run.done = true;
        }
    }
}
