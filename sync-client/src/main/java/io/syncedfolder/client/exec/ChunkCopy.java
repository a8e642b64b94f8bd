package io.syncedfolder.client.exec;

import io.syncedfolder.client.remote.FileRange;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.DirectWrites;
import io.syncedfolder.common.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;

/** Copies one chunk into a file at a given position while hashing it, so no unchecked byte is ever kept. */
final class ChunkCopy {
    private static final int MAX_BUFFER = 256 * 1024;
    /**
     * One buffer per thread, reused: a fresh 256 KiB array for each chunk of a large file cost a fifth of the
     * time of rebuilding it from a local copy (allocating and zeroing, in a profile of W3).
     */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[MAX_BUFFER]);

    private ChunkCopy() {
    }

    /**
     * Writes {@code chunk.size()} bytes from {@code in} to {@code out} at {@code position}; returns whether
     * they hash to the chunk's SHA-256. On false, the bytes written are garbage for the caller to cut off.
     */
    static boolean copy(InputStream in, ChunkRef chunk, FileChannel out, long position) throws IOException {
        DirectWrites.Stretch stretch = DirectWrites.through(out).from(position);
        boolean copied = copy(in, chunk, stretch);
        stretch.finish();
        return copied;
    }

    /**
     * Writes {@code chunk.size()} bytes from {@code in} at the end of {@code out}; returns whether they hash to the
     * chunk's SHA-256. On false, the bytes written are garbage for the caller to cut off, and fewer may have been
     * written: {@link DirectWrites.Stretch#position()} says where the stretch ends.
     */
    static boolean copy(InputStream in, ChunkRef chunk, DirectWrites.Stretch out) throws IOException {
        MessageDigest digest = Hashing.sha256();
        byte[] buffer = BUFFERS.get();
        long left = chunk.size();
        while (left > 0) {
            int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
            if (n == 0) {
                return false; // the source is shorter than the chunk
            }
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            left -= n;
        }
        return Hashing.hex(digest.digest()).equals(chunk.sha256());
    }

    /** Copies a chunk from where it lies on disk to the end of {@code out}; false as for the copy from a stream. */
    static boolean copy(FileRange from, DirectWrites.Stretch out) throws IOException {
        try (FileChannel source = FileChannel.open(from.file(), StandardOpenOption.READ)) {
            source.position(from.offset());
            return copy(Channels.newInputStream(source), from.chunk(), out);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Returns the bytes where a chunk lies on disk; empty if the file is gone or too short. They are not hashed:
     * both callers build a delta from them whose result is checked against its own hash, so a file changed since
     * it was scanned only costs that delta.
     */
    static Optional<byte[]> read(FileRange from) throws IOException {
        try (FileChannel source = FileChannel.open(from.file(), StandardOpenOption.READ)) {
            byte[] bytes = Channels.newInputStream(source.position(from.offset()))
                    .readNBytes(Math.toIntExact(from.chunk().size()));
            return bytes.length == from.chunk().size() ? Optional.of(bytes) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Returns whether the bytes of {@code file} at {@code position} are {@code chunk}. */
    static boolean holds(FileChannel file, long position, ChunkRef chunk) throws IOException {
        if (position + chunk.size() > file.size()) {
            return false;
        }
        MessageDigest digest = Hashing.sha256();
        ByteBuffer buffer = ByteBuffer.wrap(BUFFERS.get());
        long at = position;
        long end = position + chunk.size();
        while (at < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
            int n = file.read(buffer, at);
            if (n < 0) {
                return false;
            }
            digest.update(buffer.array(), 0, n);
            at += n;
        }
        return Hashing.hex(digest.digest()).equals(chunk.sha256());
    }
}
