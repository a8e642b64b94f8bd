package io.syncedfolder.common;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Writes files so that a crash at any moment leaves either the old content or the new, never a mix:
 * write a temporary file beside the target, fsync it, rename it over the target, fsync the directory.
 */
public final class AtomicFiles {
    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, ContentWriter writer) throws IOException {
        write(target, null, writer);
    }

    /**
     * Writes {@code target} atomically as {@link #write(Path, ContentWriter)} does, creating it with POSIX
     * permissions {@code permissions} from the first byte (so a secret is never readable by others, not even the
     * temporary file); where the file system has no POSIX permissions, {@code permissions} is ignored.
     */
    public static void writePrivate(Path target, Set<PosixFilePermission> permissions, ContentWriter writer)
            throws IOException {
        boolean posix = target.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews()
                .contains("posix");
        write(target, posix ? PosixFilePermissions.asFileAttribute(permissions) : null, writer);
    }

    private static void write(Path target, FileAttribute<?> attribute, ContentWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes = attribute == null ? new FileAttribute<?>[0] : new FileAttribute<?>[] {attribute};
        try {
            try (FileChannel channel = FileChannel.open(temp, options, attributes);
                 OutputStream out = new UncloseableOutputStream(
                         new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024))) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            moveAtomically(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static void writeBytes(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** Renames {@code source} over {@code target} in one step and makes the rename durable. */
    public static void moveAtomically(Path source, Path target) throws IOException {
        rename(source, target);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Renames {@code source} over {@code target} in one step; the rename is durable only once the caller
     * flushes the target's folder (see {@link BatchFsync#directories}).
     */
    public static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename atomically from " + source + " to " + target
                    + "; both must be on the same file system", e);
        }
    }

    /** Flushes a directory's entries (new names, renames) to disk; a no-op where the OS does not allow it. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory for fsync; the rename is still atomic there.
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    /** Lets a writer close its stream without closing the channel before it is forced to disk. */
    private static final class UncloseableOutputStream extends FilterOutputStream {
        UncloseableOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
