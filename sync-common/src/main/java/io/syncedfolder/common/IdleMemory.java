package io.syncedfolder.common;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Lets a long-running process give memory back to the system once it is idle.
 *
 * <p>The JVM's default collector (G1) grows the heap while a large pass or upload allocates fast and, on Java 17,
 * gives it back only after a full or concurrent collection, which an idle process never triggers: a continuous
 * client that had just downloaded 100,000 files kept 1.6 GiB resident while it waited for changes. A periodic
 * collection when no other has run for a while brings it back to what the data still needs (0.45 GiB in that
 * case; measured by hand, see {@code bench/README.md}). It costs nothing while the process is busy, since
 * its own collections then keep the periodic one from running.
 */
public final class IdleMemory {
    /** How long without a collection before one runs to give memory back. */
    public static final Duration IDLE = Duration.ofSeconds(10);

    private IdleMemory() {
    }

    /**
     * Asks the JVM for a collection after every {@link #IDLE} without one; returns false, changing nothing, where
     * this JVM cannot (not HotSpot, or the setting is not there).
     */
    public static boolean returnWhenIdle() {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .setVMOption("G1PeriodicGCInterval", Long.toString(IDLE.toMillis()));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            return false; // memory is then given back as the JVM's defaults allow: a cost, not a fault
        }
    }
}
