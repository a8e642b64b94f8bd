package io.syncedfolder.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts a running server accepts: {@code users.json} as it is now. Each look-up costs one {@code stat};
 * the file is read again only when its modification time, size or identity (a new file renamed over it) changed,
 * so {@code sync-server user add/remove/token} take effect on the next request without a restart.
 */
public final class UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);

    private record Version(FileTime modified, long size, Object key) {
        static final Version ABSENT = new Version(FileTime.fromMillis(0), -1, null);
    }

    private final Path file;
    private Version version;
    private List<UserRecord> users;

    private UserDirectory(Path file, Version version, List<UserRecord> users) {
        this.file = file;
        this.version = version;
        this.users = users;
    }

    /**
     * Reads the accounts in {@code dataDir}.
     *
     * @throws IOException if {@code users.json} exists but is not a valid users file
     */
    public static UserDirectory open(Path dataDir) throws IOException {
        Path file = new UserStore(dataDir).file();
        Version version = versionOf(file);
        return new UserDirectory(file, version, UserStore.read(file));
    }

    /**
     * Returns the accounts as the file holds them now; if it was changed into something unreadable, the last good
     * ones (logged), and if it was deleted, none.
     */
    public synchronized List<UserRecord> current() {
        Version now;
        try {
            now = versionOf(file);
        } catch (IOException e) {
            LOG.warn("cannot check {}; using the accounts read before: {}", file, e.toString());
            return users;
        }
        if (!now.equals(version)) {
            try {
                users = UserStore.read(file);
                LOG.info("read {} accounts from {}", users.size(), file);
            } catch (IOException e) {
                LOG.warn("{}; using the accounts read before", e.getMessage());
            }
            version = now;
        }
        return users;
    }

    private static Version versionOf(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            return Version.ABSENT;
        }
    }
}
