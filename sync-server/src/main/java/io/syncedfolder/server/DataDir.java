package io.syncedfolder.server;

import io.syncedfolder.common.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the server's data directory and keeps it locked while the server runs.
 *
 * <pre>
 * &lt;data&gt;/server.lock               held by the running server
 * &lt;data&gt;/blobs/                    content-addressed chunks, shared by every namespace
 * &lt;data&gt;/namespaces/&lt;name&gt;/        one index per namespace ("default" for --token, name.suffix per user)
 * &lt;data&gt;/users.json                the accounts (see {@code UserStore})
 * </pre>
 *
 * <p>Two servers writing one journal would corrupt it, so a second server on the same directory is refused.
 */
final class DataDir implements Closeable {
    static final String DEFAULT_NAMESPACE = "default";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates {@code root} if needed and locks it, or explains why it cannot be used. */
    static DataDir open(Path root) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        FileChannel channel;
        try {
            createDurably(dir);
            channel = FileChannel.open(dir.resolve("server.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot use data directory " + dir + ": " + describe(e), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot lock data directory " + dir + ": " + describe(e), e);
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data directory " + dir + " is in use by another sync-server");
        }
        return new DataDir(dir, channel, lock);
    }

    private static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way (" + e.getMessage() + ")";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + e.getMessage() + ")";
        }
        return e.toString();
    }

    /**
     * Creates {@code dir} and any missing parents, fsyncing each parent so that the new directories survive a
     * crash together with the files later written and fsynced inside them.
     */
    private static void createDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDurably(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
        if (parent != null) {
            AtomicFiles.fsyncDirectory(parent);
        }
    }

    Path root() {
        return root;
    }

    /** Returns the blob store's directory, created if missing. */
    Path blobs() throws IOException {
        Path blobs = root.resolve("blobs");
        createDurably(blobs);
        return blobs;
    }

    /** Returns the directory of namespace {@code name}'s index, created if missing. */
    Path namespace(String name) throws IOException {
        Path namespace = root.resolve("namespaces").resolve(name);
        createDurably(namespace);
        return namespace;
    }

    /** Returns the names of the namespace folders that exist, in no particular order. */
    List<String> namespaceNames() throws IOException {
        Path namespaces = root.resolve("namespaces");
        if (!Files.isDirectory(namespaces)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(namespaces, Files::isDirectory)) {
            for (Path dir : dirs) {
                names.add(dir.getFileName().toString());
            }
        }
        return names;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
