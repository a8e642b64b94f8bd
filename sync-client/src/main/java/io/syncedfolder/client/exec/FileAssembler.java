package io.syncedfolder.client.exec;

import io.syncedfolder.client.remote.FileRange;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a remote file's content in a part file in {@code .sync/tmp}, chunk by chunk, each checked against
 * its SHA-256: chunks this client already holds are copied from disk, the rest are fetched in packed requests.
 *
 * <p>The part file is named after the file's SHA-256 and survives an interruption: the next attempt keeps
 * the chunks it already holds (checked again) and fetches only the rest.
 */
final class FileAssembler {
    static final String PART_SUFFIX = ".part";
    /** Bytes asked for in one fetch; large enough that request overhead vanishes, small enough to resume. */
    static final long FETCH_BYTES = 8L * 1024 * 1024;
    private static final int FETCH_CHUNKS = 1000;

    private final Path tempDir;
    private final ServerClient server;

    FileAssembler(Path tempDir, ServerClient server) {
        this.tempDir = tempDir;
        this.server = server;
    }

    /** Returns the part file where {@code remote}'s content is assembled. */
    Path partFor(FileEntry remote) {
        return tempDir.resolve(remote.sha256() + PART_SUFFIX);
    }

    /** Assembles {@code remote}'s content and returns the part file holding it, flushed to disk. */
    Path assemble(FileEntry remote, LocalChunks local) throws IOException {
        Path part = partFor(remote);
        List<ChunkRef> chunks = remote.chunks();
        if (chunks.size() == 1 && !Files.exists(part)) {
            Optional<Path> staged = local.takeStaged(chunks.get(0).sha256());
            if (staged.isPresent()) {
                Files.move(staged.get(), part, StandardCopyOption.ATOMIC_MOVE);
                return part;
            }
        }
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            new Assembly(out, part, chunks, local).run();
            if (out.size() != remote.size()) {
                throw new IOException("the assembled content of " + remote.path() + " has " + out.size()
                        + " bytes, not " + remote.size());
            }
            out.force(true);
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

    /** One file's assembly: where it stands and what is left. */
    private final class Assembly {
        private final FileChannel out;
        private final Path part;
        private final List<ChunkRef> chunks;
        private final LocalChunks local;
        private long position;
        private int next;

        Assembly(FileChannel out, Path part, List<ChunkRef> chunks, LocalChunks local) {
            this.out = out;
            this.part = part;
            this.chunks = chunks;
            this.local = local;
        }

        void run() throws IOException {
            keepVerifiedPrefix();
            while (next < chunks.size()) {
                ChunkRef chunk = chunks.get(next);
                Optional<FileRange> there = local.find(chunk.sha256());
                if (there.isPresent() && ChunkCopy.copy(there.get(), out, position)) {
                    advance(chunk);
                } else {
                    fetchRun();
                }
            }
            out.truncate(position);
        }

        /** Keeps the chunks a previous, interrupted attempt left in the part file, as far as they check out. */
        private void keepVerifiedPrefix() throws IOException {
            while (next < chunks.size() && ChunkCopy.holds(out, position, chunks.get(next))) {
                advance(chunks.get(next));
            }
            out.truncate(position);
        }

        /** Fetches the next chunk and those after it that are not on disk either, in one request. */
        private void fetchRun() throws IOException {
            List<ChunkRef> run = new ArrayList<>();
            long bytes = 0;
            for (int i = next; i < chunks.size() && run.size() < FETCH_CHUNKS; i++) {
                ChunkRef chunk = chunks.get(i);
                if (!run.isEmpty() && (bytes + chunk.size() > FETCH_BYTES || local.has(chunk.sha256()))) {
                    break;
                }
                run.add(chunk);
                bytes += chunk.size();
            }
            server.fetchPack(run, (chunk, content) -> {
                if (!ChunkCopy.copy(content, chunk, out, position)) {
                    out.truncate(position);
                    throw new IOException("chunk " + chunk.sha256() + " from the server does not match its SHA-256");
                }
                advance(chunk);
            });
        }

        private void advance(ChunkRef chunk) {
            local.add(new FileRange(chunk, part, position)); // a chunk repeated later in the file is copied, not fetched
            position += chunk.size();
            next++;
        }
    }
}
