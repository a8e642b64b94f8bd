package io.syncedfolder.client.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped directives file, loaded by a real JVM: SHA-256 gets the optimizing compiler (and with it the CPU's
 * SHA instructions; without them hashing runs ten times slower), other hot code does not. Compilation is made
 * synchronous ({@code -Xbatch}) so that what the JVM prints does not depend on timing.
 */
class CompilerDirectivesTest {
    @TempDir
    Path temp;

    @Test
    void hashingIsCompiledByC2AndOtherHotCodeIsNot() throws Exception {
        Path directives = LaunchCache.open(Map.of("XDG_CACHE_HOME", temp.toString())).orElseThrow()
                .prepare(temp.resolve("no.jar").toString()).directives().orElseThrow();

        String output = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + directives, "-XX:+PrintCompilation",
                "-Xbatch", "-cp", System.getProperty("java.class.path"), HashingLoop.class.getName()));

        assertThat(output).contains("compiler directives added")
                .containsPattern("\\b4\\s+sun\\.security\\.provider\\.SHA2::implCompress0\\b")
                .doesNotContain("Excluding compile: sun.security.provider")
                .containsPattern("Excluding compile: (static )?" + HashingLoop.class.getName().replace(".", "\\.")
                        + "::notHashing");
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
        return new String(output, StandardCharsets.UTF_8);
    }
}
