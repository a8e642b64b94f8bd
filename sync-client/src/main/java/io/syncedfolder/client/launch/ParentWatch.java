package io.syncedfolder.client.launch;

import java.util.Optional;

/**
 * Runs in the tuned JVM: when the launcher that waits for it is gone without asking it to stop (killed with
 * SIGKILL, or crashed), this JVM stops at once too, as whoever killed the launcher meant the pass to.
 */
final class ParentWatch {
    private ParentWatch() {
    }

    /** Halts this JVM when process {@code launcher} ends, or now if it already has. */
    static void haltWhenGone(long launcher) {
        Optional<ProcessHandle> handle = ProcessHandle.of(launcher);
        if (handle.isEmpty()) {
            Runtime.getRuntime().halt(1);
        }
        handle.get().onExit().thenRun(() -> Runtime.getRuntime().halt(1));
    }
}
