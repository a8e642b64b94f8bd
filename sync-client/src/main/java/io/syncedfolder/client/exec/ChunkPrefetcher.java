package io.syncedfolder.client.exec;

import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.common.BatchFsync;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches ahead the chunks of the small files a pass downloads, many per request and a few requests at once,
 * into a staging folder, so that ten thousand small files cost a few dozen requests instead of ten thousand.
 *
 * <p>Large files are left to {@link FileAssembler}, which streams them into resumable part files. A chunk
 * that cannot be fetched ahead is only lost time: the assembler fetches it again.
 */
final class ChunkPrefetcher {
    /** Files up to this size are fetched ahead; larger ones stream into their own part file. */
    static final long SMALL_FILE_BYTES = 4L * 1024 * 1024;
    private static final int PACK_CHUNKS = 500;
    /**
     * Staging folders that requests take turns at: creating a file locks its folder, and on ext4 a creation right
     * after many deletions is slow, so concurrent requests staging into one folder spun waiting for each other.
     */
    private static final int STAGING_LANES = 4;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkPrefetcher.class);

    private final Path tempDir;
    private final ServerClient server;
    private final DiskHook hook;

    /** Stages into folders {@code chunks-0} … in {@code tempDir}, which a pass clears of leftovers at its start. */
    ChunkPrefetcher(Path tempDir, ServerClient server, DiskHook hook) {
        this.tempDir = tempDir;
        this.server = server;
        this.hook = hook;
    }

    /** Stages the chunks of the small files among {@code downloads} that {@code local} does not know of. */
    void prefetch(List<FileEntry> downloads, LocalChunks local) throws IOException {
        Map<String, ChunkRef> wanted = new LinkedHashMap<>();
        Map<String, Integer> uses = new LinkedHashMap<>();
        for (FileEntry entry : downloads) {
            if (entry.size() > SMALL_FILE_BYTES) {
                continue;
            }
            for (ChunkRef chunk : entry.chunks()) {
                if (!local.has(chunk.sha256())) {
                    wanted.putIfAbsent(chunk.sha256(), chunk);
                    uses.merge(chunk.sha256(), 1, Integer::sum);
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        List<Path> lanes = new ArrayList<>();
        for (int lane = 0; lane < STAGING_LANES; lane++) {
            lanes.add(Files.createDirectories(tempDir.resolve("chunks-" + lane)));
        }
        AtomicInteger nextLane = new AtomicInteger();
        List<List<ChunkRef>> packs = Transfers.packs(List.copyOf(wanted.values()), ChunkRef::size,
                FileAssembler.FETCH_BYTES, PACK_CHUNKS);
        List<StagedChunk> staged = Collections.synchronizedList(new ArrayList<>());
        List<Transfers.Failure<List<ChunkRef>>> failures = Transfers.runAll(packs, pack -> {
            Path lane = lanes.get(nextLane.getAndIncrement() % STAGING_LANES);
            server.fetchPack(pack, (chunk, content) -> staged.add(stage(lane, chunk, content)));
        });
        for (Transfers.Failure<List<ChunkRef>> failure : failures) {
            LOG.debug("could not fetch {} chunk(s) ahead ({}); they are fetched one file at a time",
                    failure.item().size(), failure.error().getMessage());
        }
        // A staged chunk may be moved into place as a whole file, so it must be on disk first. All of them are
        // flushed at once: a flush of many small files is one flush of the file system, which writes whatever
        // is waiting anyway, so one per pack only multiplied the journal commits (and the processes started).
        BatchFsync.files(staged.stream().map(StagedChunk::path).toList());
        staged.forEach(file -> local.addStaged(file.chunk(), file.path(), uses.get(file.chunk().sha256())));
    }

    private StagedChunk stage(Path lane, ChunkRef chunk, InputStream content) throws IOException {
        Path file = lane.resolve(chunk.sha256());
        hook.before(DiskHook.Step.WRITE_PART, file);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (!ChunkCopy.copy(content, chunk, out, 0)) {
                throw new IOException("chunk " + chunk.sha256() + " from the server does not match its SHA-256");
            }
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new StagedChunk(chunk, file);
    }

    private record StagedChunk(ChunkRef chunk, Path path) {
    }
}
