package io.syncedfolder.client.launch;

import io.syncedfolder.client.launch.LaunchFiles.ClassArchive;
import io.syncedfolder.common.CompilerDirectives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;

/**
 * The files a tuned JVM is started with, in {@code $XDG_CACHE_HOME/synced-folder} (else {@code ~/.cache/…}): the
 * compiler directives, and a class-data archive per jar and JDK, made from the classes the first pass that succeeds
 * loaded.
 *
 * <p>Nothing here can fail a launch: a cache that cannot be written only means a JVM started without these files.
 * A stale or damaged archive is no danger either: the JVM checks it against the jar and the JDK and ignores it if it
 * does not match.
 */
final class LaunchCache {
    private static final String ARCHIVE_PREFIX = "sync-client-";
    private static final String ARCHIVE_SUFFIX = ".jsa";
    /** A dump or class list this old was left by a launcher that died; a live dump takes a few seconds. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    private final Path dir;

    private LaunchCache(Path dir) {
        this.dir = dir;
    }

    /** The cache for this user, or empty if neither {@code XDG_CACHE_HOME} nor {@code HOME} says where it is. */
    static Optional<LaunchCache> open(Map<String, String> environment) {
        String xdg = environment.getOrDefault("XDG_CACHE_HOME", "");
        String home = environment.getOrDefault("HOME", "");
        Path base;
        if (!xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else if (!home.isBlank() && Path.of(home).isAbsolute()) {
            base = Path.of(home, ".cache");
        } else {
            return Optional.empty();
        }
        return Optional.of(new LaunchCache(base.resolve("synced-folder")));
    }

    /** Returns what the cache offers a JVM with class path {@code classPath}, writing the directives if needed. */
    LaunchFiles prepare(String classPath) {
        try {
            Files.createDirectories(dir);
            return new LaunchFiles(Optional.of(directives()), archive(classPath));
        } catch (IOException | UncheckedIOException e) {
            return LaunchFiles.NONE;
        }
    }

    /** Writes the directives under a name that changes with their text, so that jars of other versions can share the cache. */
    private Path directives() throws IOException {
        byte[] text = CompilerDirectives.text();
        Path file = dir.resolve("compiler-directives-" + checksum(text) + ".json");
        // Checked at every launch: a JVM refuses to start with a damaged file, and says so only on the output the
        // directives make it silence.
        if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), text)) {
            Path temp = Files.createTempFile(dir, "directives-", ".tmp");
            try {
                Files.write(temp, text);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return file;
    }

    /**
     * The archive for this jar and JDK: the JVM only archives classes from jars, and refuses an archive made for
     * another jar (its path, size and time) or another JDK, so the name says both.
     */
    private Optional<ClassArchive> archive(String classPath) throws IOException {
        Path jar = Path.of(classPath).toAbsolutePath();
        if (!classPath.endsWith(".jar") || !Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
        String identity = String.join("\n", jar.toString(), Long.toString(attributes.size()),
                Long.toString(attributes.lastModifiedTime().toMillis()), System.getProperty("java.home"),
                System.getProperty("java.vm.version"));
        Path file = dir.resolve(ARCHIVE_PREFIX + checksum(identity.getBytes(StandardCharsets.UTF_8)) + ARCHIVE_SUFFIX);
        String launch = file.getFileName() + "." + ProcessHandle.current().pid();
        return Optional.of(new ClassArchive(file, Files.isRegularFile(file), dir.resolve(launch + ".classes.tmp"),
                dir.resolve(launch + ".tmp")));
    }

    /**
     * After a pass that succeeded: has {@code dump} archive the classes the pass listed, puts the archive in place,
     * and deletes the archives of other jars or JDKs and files abandoned by launchers that died. Does nothing if the
     * pass listed nothing. Leaves no file of this launch's behind but the archive.
     *
     * @param dump writes {@link ClassArchive#dumpTo()} from {@link ClassArchive#classList()}; false if it failed
     */
    static void install(ClassArchive archive, BooleanSupplier dump) {
        try {
            if (Files.isRegularFile(archive.classList()) && dump.getAsBoolean()
                    && Files.isRegularFile(archive.dumpTo())) {
                Files.move(archive.dumpTo(), archive.file(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                deleteOthers(archive.file());
            }
        } catch (IOException e) {
            // no archive: the next pass lists its classes and tries again
        } finally {
            discard(archive);
        }
    }

    /**
     * Deletes this launch's class list and unfinished dump: after an install, and after a pass that failed, since a
     * pass cut short lists too few classes to archive.
     */
    static void discard(ClassArchive archive) {
        for (Path file : List.of(archive.classList(), archive.dumpTo())) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the clean-up after a later install deletes it once it is old
            }
        }
    }

    private static void deleteOthers(Path kept) throws IOException {
        Instant abandoned = Instant.now().minus(ABANDONED);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(kept.getParent(), ARCHIVE_PREFIX + "*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean otherArchive = name.endsWith(ARCHIVE_SUFFIX) && !file.equals(kept);
                boolean abandonedFile = name.endsWith(".tmp")
                        && Files.getLastModifiedTime(file).toInstant().isBefore(abandoned);
                if (otherArchive || abandonedFile) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** A short name for content: a collision only costs a JVM that finds its archive refused. */
    private static String checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }
}
