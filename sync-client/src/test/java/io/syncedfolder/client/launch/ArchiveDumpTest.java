package io.syncedfolder.client.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.launch.LaunchFiles.ClassArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The class-data archive as real JVMs list, dump and map it, with picocli's jar standing in for the client's. */
class ArchiveDumpTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** A main class in picocli's jar that loads picocli's command classes: they are compiled for Java 5. */
    private static final String MAIN = "picocli.AutoComplete";

    @TempDir
    Path temp;

    @Test
    void theClassesAPassListedAreArchivedAndMappedJavaFiveClassesIncluded() throws Exception {
        Path jar = temp.resolve("picocli.jar");
        Files.copy(Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI()), jar);
        Invocation invocation = new Invocation(ProcessHandle.current().pid(), Optional.of(JAVA),
                System.getProperty("java.vm.name"), List.of("-jar", jar.toString()), jar.toString(), Map.of());
        ClassArchive archive = LaunchCache.open(Map.of("XDG_CACHE_HOME", temp.resolve("cache").toString()))
                .orElseThrow().prepare(jar.toString()).archive().orElseThrow();
        run("-XX:DumpLoadedClassList=" + archive.classList(), "-cp", jar.toString(), MAIN, "--help");

        LaunchCache.install(archive, () -> ArchiveDump.run(PassJvm.dumpCommand(invocation, archive)));

        assertThat(archive.file()).exists();
        assertThat(archive.classList()).doesNotExist();
        String loads = run("-Xshare:on", "-XX:SharedArchiveFile=" + archive.file(), "-Xlog:class+load=info",
                "-cp", jar.toString(), MAIN, "--help");
        assertThat(loads).contains("picocli.CommandLine source: shared objects file");
    }

    @Test
    void aDumpThatFailsOrCannotStartSaysSo() {
        ClassArchive noList = new ClassArchive(temp.resolve("a.jsa"), false, temp.resolve("missing.classes"),
                temp.resolve("a.jsa.tmp"));
        Invocation invocation = new Invocation(1, Optional.of(JAVA), "", List.of(), "x.jar", Map.of());
        assertThat(ArchiveDump.run(PassJvm.dumpCommand(invocation, noList))).isFalse();
        assertThat(ArchiveDump.run(List.of(temp.resolve("no-such-java").toString()))).isFalse();
    }

    /** Runs a JVM with {@code options}; returns its output once it has ended. */
    private static String run(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(List.of(options));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(1, TimeUnit.MINUTES)).as(output).isTrue();
        return output;
    }
}
