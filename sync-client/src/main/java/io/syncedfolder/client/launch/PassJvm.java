package io.syncedfolder.client.launch;

import io.syncedfolder.client.launch.LaunchFiles.ClassArchive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a command runs in a JVM tuned for a short pass, and with which options. Pure: the caller says how
 * this JVM was started and what the cache holds.
 *
 * <p>Only a plain {@code --once} pass is relaunched. A continuous client runs for hours, where C2 and G1's idle
 * give-back pay off, and the other commands are over before a second JVM would have started. A JVM started with
 * options of the user's own (on the command line or in {@code JAVA_TOOL_OPTIONS} and the like) is theirs: the
 * client runs in it as it is.
 */
final class PassJvm {
    /** The system property that tells the relaunched client the process id of the launcher that waits for it. */
    static final String LAUNCHED_PROPERTY = "syncedfolder.launched";
    /** Environment variables the {@code java} launcher or the JVM read options from. */
    private static final Set<String> OPTION_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    private static final Set<String> CLASS_PATH_FLAGS = Set.of("-cp", "-classpath", "--class-path");
    /**
     * Options added to the tuned JVM, after its own so they win: a profiler's agent, say, which given to the JVM the
     * user starts would make the pass run there, untuned, and be measured as no user runs it.
     */
    static final String EXTRA_OPTIONS = "SYNC_PASS_JAVA_OPTIONS";

    /**
     * The options, measured on a no-change pass over 100,000 files (bench/README.md): 2.27 s and 206 MiB peak with
     * none, 1.66 s and 140 MiB with these and a 32 MiB young generation, as fast and 122 MiB with 16 MiB (W1 and W2
     * as fast too).
     */
    private static final List<String> TUNING = List.of(
            // One or two busy threads for a few seconds: serial collection costs less CPU than G1 and touches less
            // memory, and a small fixed young generation keeps the heap from growing with the allocation rate.
            "-XX:+UseSerialGC", "-Xmn16m");
    /**
     * The options that load {@link io.syncedfolder.common.CompilerDirectives}, given as a file so that they rule from
     * the first compilation. Loading them makes the JVM print "N compiler directives added" on standard output, hence
     * the last option.
     */
    private static final List<String> DIRECTIVES = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput");
    /** An archive that does not match the jar or the JDK is skipped; this keeps the JVM from saying so. */
    private static final String QUIET_ARCHIVE = "-Xlog:cds=off";

    private PassJvm() {
    }

    /**
     * True if {@code args} run in a tuned JVM: a {@code --once} pass in a HotSpot JVM started with no option of the
     * user's own, whose executable is known. The options are HotSpot's: another JVM (OpenJ9) might refuse to start
     * with them, and every pass would fail.
     */
    static boolean applies(Invocation invocation, String[] args) {
        return Arrays.asList(args).contains("--once") && invocation.java().isPresent() && isHotSpot(invocation.vm())
                && startedPlain(invocation) && OPTION_VARIABLES.stream().noneMatch(invocation.environment()::containsKey);
    }

    /** "OpenJDK 64-Bit Server VM", "Java HotSpot(TM) 64-Bit Server VM"; not "Eclipse OpenJ9 VM". */
    private static boolean isHotSpot(String vm) {
        return vm.startsWith("OpenJDK") || vm.contains("HotSpot");
    }

    /** Returns the command that runs {@code args} in a tuned JVM, using what {@code files} offers. */
    static List<String> command(Invocation invocation, String[] args, LaunchFiles files) {
        List<String> command = new ArrayList<>();
        command.add(invocation.java().orElseThrow());
        command.addAll(TUNING);
        files.directives().ifPresent(file -> {
            command.addAll(DIRECTIVES);
            command.add("-XX:CompilerDirectivesFile=" + file);
        });
        files.archive().ifPresent(archive -> {
            command.add(QUIET_ARCHIVE);
            command.add(archive.exists() ? "-XX:SharedArchiveFile=" + archive.file()
                    : "-XX:DumpLoadedClassList=" + archive.classList());
        });
        String extra = invocation.environment().getOrDefault(EXTRA_OPTIONS, "").strip();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.add("-D" + LAUNCHED_PROPERTY + "=" + invocation.pid());
        command.addAll(List.of("-cp", invocation.classPath(), Launcher.class.getName()));
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * Returns the command that archives the classes a pass listed. A static archive, dumped by a JVM of its own,
     * because the archive a JVM can dump at its exit ({@code -XX:ArchiveClassesAtExit}) leaves out classes compiled
     * for Java 5, and picocli's are: a pass then loaded 172 classes from the jar and verified them, about a tenth of
     * a no-change pass over 100,000 files (bench/README.md).
     */
    static List<String> dumpCommand(Invocation invocation, ClassArchive archive) {
        return List.of(invocation.java().orElseThrow(), "-Xshare:dump",
                "-XX:SharedClassListFile=" + archive.classList(), "-XX:SharedArchiveFile=" + archive.dumpTo(),
                "-cp", invocation.classPath());
    }

    /**
     * True if the JVM got no option but its class path: {@code java -jar JAR …}, {@code java -cp CP Launcher …}, or
     * {@code java Launcher …} with the class path in {@code CLASSPATH}.
     */
    private static boolean startedPlain(Invocation invocation) {
        List<String> arguments = invocation.arguments();
        String launcher = Launcher.class.getName();
        if (arguments.size() >= 2 && arguments.get(0).equals("-jar")) {
            return true;
        }
        return !arguments.isEmpty() && arguments.get(0).equals(launcher)
                || arguments.size() >= 3 && CLASS_PATH_FLAGS.contains(arguments.get(0)) && arguments.get(2).equals(launcher);
    }
}
