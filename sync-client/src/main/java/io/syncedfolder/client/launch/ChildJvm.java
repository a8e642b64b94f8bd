package io.syncedfolder.client.launch;

import java.io.IOException;
import java.util.List;

/**
 * Runs the tuned JVM in the launcher's place: same terminal, same standard streams, its exit code passed on. Asking
 * the launcher to stop (Ctrl-C, SIGTERM) asks the pass to stop the same way, and the launcher exits with the pass's
 * exit code once it has.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Starts {@code command} and waits for it to end.
     *
     * @return its exit code
     * @throws IOException if it could not be started
     */
    static int run(List<String> command) throws IOException {
        Process pass = new ProcessBuilder(command).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndExitWith(pass), "stop-pass"));
        while (true) {
            try {
                return pass.waitFor();
            } catch (InterruptedException e) {
                // nothing interrupts the main thread; the shutdown hook handles stopping
            }
        }
    }

    /** Runs while the launcher shuts down: a signal it received goes on to the pass as SIGTERM. */
    private static void stopAndExitWith(Process pass) {
        if (!pass.isAlive()) {
            return; // the pass ended and the launcher exits with its code
        }
        pass.destroy(); // the client stops a pass on SIGTERM as it does on Ctrl-C
        while (true) {
            try {
                Runtime.getRuntime().halt(pass.waitFor());
            } catch (InterruptedException e) {
                // keep waiting: the pass decides when it has stopped
            }
        }
    }
}
