package io.syncedfolder.client.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JVM that writes a class-data archive ({@link PassJvm#dumpCommand}): without output, since it reports
 * every class it leaves out, and for a bounded time, since the user's pass is already done when it starts.
 */
final class ArchiveDump {
    /** A dump takes about 2 s; one that takes this long is stuck, and the next pass can try again. */
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private ArchiveDump() {
    }

    /** Runs {@code command}; returns true if it ended in time with exit code 0. */
    static boolean run(List<String> command) {
        Process dump;
        try {
            dump = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return false;
        }
        try {
            if (dump.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return dump.exitValue() == 0;
            }
            dump.destroyForcibly().waitFor(); // before its half-written archive is deleted
            return false;
        } catch (InterruptedException e) {
            dump.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
