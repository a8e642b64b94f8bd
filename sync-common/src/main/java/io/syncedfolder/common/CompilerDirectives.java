package io.syncedfolder.common;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JIT compiler directives both programs run with ({@code compiler-directives.json}): the optimizing compiler
 * (C2) for hashing and chunking, the quick one (C1) for everything else.
 *
 * <p>In a burst of work (a pass, or a server's first minutes), C2 compiles most hot code only to finish after the
 * burst has moved on, and on the cores the burst needs: on two cores it was half of a freshly started server's
 * CPU time during W1. C1's code is good enough for that work. Hashing is the exception: C1 has no SHA-256
 * intrinsic, and hashes ten times slower. So C2 gets only the methods that reach the CPU's SHA instructions and
 * the inner loops of chunking and deltas. Matching the whole SHA-256 provider, {@code MessageDigest} and the
 * digester had C2 compile their drivers too, with all they inline ({@code MessageDigest.getInstance} among them):
 * 0.62-0.64 s of C2 time in W1's A pass against 0.075-0.10 s now, and hashing was no faster (bench/README.md).
 *
 * <p>The directive that lets C2 in must say so ({@code c2: { Exclude: false }}): one without options loses to the
 * catch-all that keeps C2 out (CompilerDirectivesTest).
 */
public final class CompilerDirectives {
    private static final String RESOURCE = "compiler-directives.json";
    /** What the JVM answers once it took a directives file. */
    private static final String ADDED = "compiler directives added";

    private CompilerDirectives() {
    }

    /** Returns the directives, for {@code -XX:CompilerDirectivesFile}. */
    public static byte[] text() throws IOException {
        try (InputStream in = CompilerDirectives.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    /**
     * Adds the directives to this running JVM (the diagnostic command {@code Compiler.directives_add}, no option
     * needed), so a program started as plain {@code java -jar} gets them too; code compiled before keeps its
     * compiler. Returns false, changing nothing, if the JVM was started with compiler options of the user's own,
     * or cannot take directives (not HotSpot, no temporary folder).
     */
    public static boolean addToThisJvm() {
        boolean ownOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(option -> option.startsWith("-XX:CompileCommand") || option.startsWith("-XX:CompilerDirectivesFile"));
        if (ownOptions) {
            return false;
        }
        Path file = null;
        try {
            file = Files.createTempFile("compiler-directives-", ".json");
            Files.write(file, text());
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            return String.valueOf(answer).contains(ADDED);
        } catch (IOException | JMException | RuntimeException e) {
            return false; // every method then keeps the JVM's default compilers: slower, never wrong
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a few hundred bytes left in the temporary folder
                }
            }
        }
    }
}
