package io.syncedfolder.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the accounts in {@code <data>/users.json}: {@code {"version":1,"users":[{"name","tokenSha256","created",
 * "namespace"}]}}, written atomically with mode 600, changed only under the lock file {@code users.lock} so two
 * {@code sync-server user} commands run one after the other. A running server only reads the file
 * ({@link UserDirectory}), so accounts can change while it serves.
 */
public final class UserStore {
    static final String FILE = "users.json";
    private static final String LOCK = "users.lock";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** The file's JSON form. */
    record UsersFile(int version, List<UserRecord> users) {
        UsersFile {
            users = users == null ? List.of() : List.copyOf(users);
        }
    }

    /** A change to the accounts that cannot be made, with a sentence for people. */
    public static final class UserException extends Exception {
        UserException(String message) {
            super(message, null, false, false);
        }
    }

    /** A user and the token just made for them, which is shown once and kept nowhere. */
    public record Issued(UserRecord user, String token) {
    }

    private final Path dataDir;

    public UserStore(Path dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
    }

    /** Returns {@code users.json}'s location. */
    public Path file() {
        return dataDir.resolve(FILE);
    }

    /**
     * Returns every account, sorted by name; none if the file does not exist.
     *
     * @throws IOException if the file cannot be read or is not a valid users file (the message says which)
     */
    public List<UserRecord> list() throws IOException {
        return read(file());
    }

    static List<UserRecord> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        UsersFile parsed;
        try {
            parsed = Json.mapper().readValue(bytes, UsersFile.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(file + " is not a valid users file: " + e.getMessage(), e);
        }
        if (parsed == null || parsed.version() != 1) {
            throw new IOException(file + " is not a version 1 users file");
        }
        List<UserRecord> users = new ArrayList<>(parsed.users());
        users.sort(Comparator.comparing(UserRecord::name));
        return users;
    }

    /** Makes an account for {@code name} with a fresh token, which the answer carries (and nothing keeps). */
    public Issued add(String name, long now) throws IOException, UserException {
        String problem = UserRecord.nameProblem(name);
        if (problem != null) {
            throw new UserException("cannot add \"" + name + "\": " + problem);
        }
        return change(users -> {
            if (find(users, name).isPresent()) {
                throw new UserException("user " + name + " exists already; `user token " + name
                        + "` gives it a new token");
            }
            String token = Tokens.generate();
            UserRecord user = UserRecord.create(name, Tokens.hash(token), now);
            users.add(user);
            return new Issued(user, token);
        });
    }

    /** Gives {@code name} a fresh token; the old one stops working as soon as a server rereads the file. */
    public Issued rotate(String name) throws IOException, UserException {
        return change(users -> {
            UserRecord user = find(users, name).orElseThrow(() -> noSuchUser(name));
            String token = Tokens.generate();
            UserRecord rotated = user.withHash(Tokens.hash(token));
            users.set(users.indexOf(user), rotated);
            return new Issued(rotated, token);
        });
    }

    /** Removes {@code name}'s account; its files stay in its namespace folder, which no new account reuses. */
    public UserRecord remove(String name) throws IOException, UserException {
        return change(users -> {
            UserRecord user = find(users, name).orElseThrow(() -> noSuchUser(name));
            users.remove(user);
            return user;
        });
    }

    private static UserException noSuchUser(String name) {
        return new UserException("no user " + name);
    }

    private static Optional<UserRecord> find(List<UserRecord> users, String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    @FunctionalInterface
    private interface Change<T> {
        T apply(List<UserRecord> users) throws UserException;
    }

    /** Reads, changes and writes the file while holding {@code users.lock}. */
    private <T> T change(Change<T> change) throws IOException, UserException {
        Files.createDirectories(dataDir);
        try (FileChannel channel = FileChannel.open(dataDir.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            List<UserRecord> users = new ArrayList<>(read(file()));
            T result = change.apply(users);
            users.sort(Comparator.comparing(UserRecord::name));
            byte[] json = Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new UsersFile(1, users));
            AtomicFiles.writePrivate(file(), OWNER_ONLY, out -> out.write(json));
            return result;
        }
    }
}
