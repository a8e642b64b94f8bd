package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped directives, in a real JVM, both ways they are given: as a file at start-up (the client's pass JVM)
 * and added at run time (the server). SHA-256 gets the optimizing compiler (and with it the CPU's SHA instructions;
 * without them hashing runs ten times slower), other hot code does not. Compilation is made synchronous
 * ({@code -Xbatch}) so that what the JVM prints does not depend on timing.
 */
class CompilerDirectivesTest {
    @TempDir
    Path temp;

    @Test
    void givenAsAFileHashingIsCompiledByC2AndOtherHotCodeIsNot() throws Exception {
        Path directives = Files.write(temp.resolve("directives.json"), CompilerDirectives.text());

        String output = runHashingLoop(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + directives));

        assertThat(output).contains("compiler directives added");
        assertOnlyHashingGetsC2(output);
    }

    @Test
    void addedAtRunTimeHashingIsCompiledByC2AndOtherHotCodeIsNot() throws Exception {
        String output = runHashingLoop(List.of(), "add");

        assertThat(output).contains("added at run time: true");
        assertOnlyHashingGetsC2(output);
    }

    @Test
    void aJvmGivenCompilerOptionsOfItsOwnKeepsThem() throws Exception {
        String output = runHashingLoop(List.of("-XX:CompileCommand=quiet"), "add");

        assertThat(output).contains("added at run time: false")
                .containsPattern("\\b4\\s+" + HashingLoop.class.getName().replace(".", "\\.") + "::notHashing\\b");
    }

    private static void assertOnlyHashingGetsC2(String output) {
        assertThat(output).containsPattern("\\b4\\s+sun\\.security\\.provider\\.SHA2::implCompress0\\b")
                .doesNotContain("Excluding compile: sun.security.provider.SHA2::implCompress")
                .doesNotContain("Excluding compile: sun.security.provider.DigestBase::implCompressMultiBlock")
                .containsPattern("Excluding compile: (static )?" + HashingLoop.class.getName().replace(".", "\\.")
                        + "::notHashing");
    }

    private static String runHashingLoop(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+PrintCompilation", "-Xbatch", "-cp", System.getProperty("java.class.path"),
                HashingLoop.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
        return new String(output, StandardCharsets.UTF_8);
    }
}
