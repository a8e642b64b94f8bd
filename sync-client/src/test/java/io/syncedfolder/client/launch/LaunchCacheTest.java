package io.syncedfolder.client.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.launch.LaunchFiles.ClassArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchCacheTest {
    @TempDir
    Path temp;

    private LaunchCache cache() {
        return LaunchCache.open(Map.of("XDG_CACHE_HOME", temp.resolve("cache").toString())).orElseThrow();
    }

    private Path jar(String name, String content) throws Exception {
        Path jar = temp.resolve(name);
        Files.writeString(jar, content);
        return jar;
    }

    /** The archives and dumps in {@code dir}, sorted by name. */
    private static String[] archives(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith("sync-client-"))
                    .sorted().toArray(String[]::new);
        }
    }

    @Test
    void theCacheIsUnderXdgCacheHomeElseHomeDotCache() {
        assertThat(LaunchCache.open(Map.of("HOME", "/home/u"))).isPresent();
        assertThat(LaunchCache.open(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/home/u"))).isPresent();
        assertThat(LaunchCache.open(Map.of("XDG_CACHE_HOME", "relative"))).isEmpty();
        assertThat(LaunchCache.open(Map.of())).isEmpty();
    }

    @Test
    void theDirectivesAreWrittenOnceAndMendedWhenDamaged() throws Exception {
        Path directives = cache().prepare(jar("sync-client.jar", "x").toString()).directives().orElseThrow();
        String shipped = Files.readString(directives);
        assertThat(shipped).contains("io/syncedfolder/common/Chunker", "Exclude: true");
        assertThat(directives.getParent()).isEqualTo(temp.resolve("cache/synced-folder"));

        Files.writeString(directives, "[ { match: \"*.*\", c2: { Bogus");
        assertThat(cache().prepare(jar("sync-client.jar", "x").toString()).directives()).contains(directives);
        assertThat(Files.readString(directives)).isEqualTo(shipped);
    }

    @Test
    void anArchiveIsOnlyOfferedForAJarAndIsNamedForItAndTheJdk() throws Exception {
        assertThat(cache().prepare(temp.toString()).archive()).isEmpty(); // a folder of classes cannot be archived

        ClassArchive first = cache().prepare(jar("sync-client.jar", "v1").toString()).archive().orElseThrow();
        assertThat(first.exists()).isFalse();
        String launch = first.file().getFileName() + "." + ProcessHandle.current().pid();
        assertThat(first.classList().getFileName().toString()).isEqualTo(launch + ".classes.tmp");
        assertThat(first.dumpTo().getFileName().toString()).isEqualTo(launch + ".tmp");
        ClassArchive other = cache().prepare(jar("other.jar", "v1").toString()).archive().orElseThrow();
        assertThat(other.file()).isNotEqualTo(first.file());
        Path rebuilt = jar("sync-client.jar", "v2, a new build");
        assertThat(cache().prepare(rebuilt.toString()).archive().orElseThrow().file()).isNotEqualTo(first.file());
    }

    @Test
    void aDumpedArchiveIsInstalledAndReplacesTheOthers() throws Exception {
        ClassArchive old = cache().prepare(jar("old.jar", "old").toString()).archive().orElseThrow();
        Files.writeString(old.file(), "an archive of an older jar");
        Path abandoned = old.file().resolveSibling(old.file().getFileName() + ".1.tmp");
        Files.writeString(abandoned, "a dump whose launcher died");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path jar = jar("sync-client.jar", "new");
        ClassArchive archive = cache().prepare(jar.toString()).archive().orElseThrow();
        Path running = archive.file().resolveSibling(archive.file().getFileName() + ".2.classes.tmp");
        Files.writeString(running, "another launcher's pass, listing its classes");
        Files.writeString(archive.classList(), "the classes");

        LaunchCache.install(archive, () -> dump(archive, "the archive"));

        assertThat(Files.readString(archive.file())).isEqualTo("the archive");
        assertThat(cache().prepare(jar.toString()).archive().orElseThrow().exists()).isTrue();
        assertThat(archives(archive.file().getParent()))
                .containsExactly(archive.file().getFileName().toString(), running.getFileName().toString());
    }

    /** Writes what a dump JVM would, from the class list; true as a dump that succeeded. */
    private static boolean dump(ClassArchive archive, String content) {
        assertThat(archive.classList()).exists();
        try {
            Files.writeString(archive.dumpTo(), content);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return true;
    }

    @Test
    void aDumpThatFailsLeavesNoFileBehind() throws Exception {
        ClassArchive archive = cache().prepare(jar("sync-client.jar", "x").toString()).archive().orElseThrow();
        Files.writeString(archive.classList(), "the classes");

        LaunchCache.install(archive, () -> !dump(archive, "half an archive"));

        assertThat(archives(archive.file().getParent())).isEmpty();
    }

    @Test
    void aPassThatListedNoClassesStartsNoDump() throws Exception {
        ClassArchive archive = cache().prepare(jar("sync-client.jar", "x").toString()).archive().orElseThrow();

        LaunchCache.install(archive, () -> {
            throw new AssertionError("a dump was started without a class list");
        });

        assertThat(Files.exists(archive.file())).isFalse();
    }

    @Test
    void theListOfAPassThatFailedIsDiscarded() throws Exception {
        ClassArchive archive = cache().prepare(jar("sync-client.jar", "x").toString()).archive().orElseThrow();
        Files.writeString(archive.classList(), "the classes of a pass cut short");

        LaunchCache.discard(archive);

        assertThat(archives(archive.file().getParent())).isEmpty();
    }
}
