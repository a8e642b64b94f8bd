package io.syncedfolder.client.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.launch.LaunchFiles.ClassArchive;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PassJvmTest {
    private static final String[] PASS = {"--server", "http://127.0.0.1:8080", "--folder", "f", "--once"};
    private static final Path DIRECTIVES = Path.of("/cache/compiler-directives-1.json");
    private static final Path ARCHIVE = Path.of("/cache/sync-client-1.jsa");
    private static final Path CLASS_LIST = Path.of("/cache/sync-client-1.jsa.42.classes.tmp");
    private static final Path DUMP = Path.of("/cache/sync-client-1.jsa.42.tmp");
    private static final String HOTSPOT = "OpenJDK 64-Bit Server VM";

    private static Invocation started(List<String> arguments, Map<String, String> environment) {
        return new Invocation(42, Optional.of("/jdk/bin/java"), HOTSPOT, arguments, "/opt/sync-client.jar", environment);
    }

    private static Invocation plainJar() {
        return started(List.of("-jar", "/opt/sync-client.jar", "--once"), Map.of("HOME", "/home/u"));
    }

    @Test
    void aOncePassOfAPlainJavaJarRunsTuned() {
        assertThat(PassJvm.applies(plainJar(), PASS)).isTrue();
        assertThat(PassJvm.applies(started(List.of("-cp", "/opt/classes", Launcher.class.getName()), Map.of()), PASS))
                .isTrue();
        assertThat(PassJvm.applies(started(List.of(Launcher.class.getName()), Map.of()), PASS)).isTrue();
    }

    @Test
    void continuousModeAndOtherCommandsRunInTheUsersJvm() {
        assertThat(PassJvm.applies(plainJar(), new String[] {"--server", "http://h", "--folder", "f"})).isFalse();
        assertThat(PassJvm.applies(plainJar(), new String[] {"status", "--folder", "f"})).isFalse();
    }

    @Test
    void jvmOptionsOfTheUsersOwnAreRespected() {
        assertThat(PassJvm.applies(started(List.of("-Xmx1g", "-jar", "/opt/sync-client.jar"), Map.of()), PASS))
                .isFalse();
        assertThat(PassJvm.applies(started(List.of("-cp", "/opt/x.jar", "other.Main"), Map.of()), PASS)).isFalse();
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertThat(PassJvm.applies(started(List.of("-jar", "/opt/sync-client.jar"), Map.of(variable, "-Xmx1g")),
                    PASS)).as(variable).isFalse();
        }
    }

    @Test
    void onlyHotSpotGetsHotSpotsOptions() {
        assertThat(PassJvm.applies(plainJar(), PASS)).isTrue();
        Invocation openJ9 = new Invocation(42, Optional.of("/jdk/bin/java"), "Eclipse OpenJ9 VM",
                List.of("-jar", "/opt/sync-client.jar"), "/opt/sync-client.jar", Map.of());
        assertThat(PassJvm.applies(openJ9, PASS)).isFalse();
        Invocation oracle = new Invocation(42, Optional.of("/jdk/bin/java"), "Java HotSpot(TM) 64-Bit Server VM",
                List.of("-jar", "/opt/sync-client.jar"), "/opt/sync-client.jar", Map.of());
        assertThat(PassJvm.applies(oracle, PASS)).isTrue();
    }

    @Test
    void anUnknownExecutableOrArgumentListMeansNoSecondJvm() {
        Invocation noJava = new Invocation(42, Optional.empty(), HOTSPOT, List.of("-jar", "/opt/sync-client.jar"),
                "/opt/sync-client.jar", Map.of());
        assertThat(PassJvm.applies(noJava, PASS)).isFalse();
        assertThat(PassJvm.applies(started(List.of(), Map.of()), PASS)).isFalse();
    }

    @Test
    void theCommandUsesTheCachesArchiveAndPassesTheArgumentsOnUnchanged() {
        LaunchFiles files = new LaunchFiles(Optional.of(DIRECTIVES), Optional.of(new ClassArchive(ARCHIVE, true, CLASS_LIST, DUMP)));

        assertThat(PassJvm.command(plainJar(), PASS, files)).containsExactly(
                "/jdk/bin/java", "-XX:+UseSerialGC", "-Xmn16m",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput", "-XX:CompilerDirectivesFile=" + DIRECTIVES,
                "-Xlog:cds=off", "-XX:SharedArchiveFile=" + ARCHIVE,
                "-Dsyncedfolder.launched=42", "-cp", "/opt/sync-client.jar", Launcher.class.getName(),
                "--server", "http://127.0.0.1:8080", "--folder", "f", "--once");
    }

    @Test
    void withoutAnArchiveTheJvmListsTheClassesItLoadsForAJvmThatArchivesThem() {
        ClassArchive archive = new ClassArchive(ARCHIVE, false, CLASS_LIST, DUMP);
        LaunchFiles files = new LaunchFiles(Optional.of(DIRECTIVES), Optional.of(archive));

        assertThat(PassJvm.command(plainJar(), PASS, files))
                .contains("-XX:DumpLoadedClassList=" + CLASS_LIST)
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));
        assertThat(PassJvm.dumpCommand(plainJar(), archive)).containsExactly(
                "/jdk/bin/java", "-Xshare:dump", "-XX:SharedClassListFile=" + CLASS_LIST,
                "-XX:SharedArchiveFile=" + DUMP, "-cp", "/opt/sync-client.jar");
    }

    @Test
    void withoutACacheOnlyTheHeapIsTuned() {
        assertThat(PassJvm.command(plainJar(), PASS, LaunchFiles.NONE)).containsExactly(
                "/jdk/bin/java", "-XX:+UseSerialGC", "-Xmn16m", "-Dsyncedfolder.launched=42",
                "-cp", "/opt/sync-client.jar", Launcher.class.getName(),
                "--server", "http://127.0.0.1:8080", "--folder", "f", "--once");
    }

    @Test
    void optionsForThePassJvmAreAddedAfterItsOwnAndDoNotMakeThePassRunUntuned() {
        Invocation profiled = started(List.of("-jar", "/opt/sync-client.jar"),
                Map.of(PassJvm.EXTRA_OPTIONS, " -agentpath:/p/libasyncProfiler.so=start,event=cpu   -Xmn32m "));

        assertThat(PassJvm.applies(profiled, PASS)).isTrue();
        assertThat(PassJvm.command(profiled, PASS, LaunchFiles.NONE)).containsExactly(
                "/jdk/bin/java", "-XX:+UseSerialGC", "-Xmn16m",
                "-agentpath:/p/libasyncProfiler.so=start,event=cpu", "-Xmn32m", "-Dsyncedfolder.launched=42",
                "-cp", "/opt/sync-client.jar", Launcher.class.getName(),
                "--server", "http://127.0.0.1:8080", "--folder", "f", "--once");
    }
}
