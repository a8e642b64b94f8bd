package io.syncedfolder.client.launch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the launch cache offers a tuned JVM.
 *
 * @param directives the compiler directives file, if it could be written
 * @param archive    the class-data archive for this jar and JDK, if the class path is a jar
 */
record LaunchFiles(Optional<Path> directives, Optional<ClassArchive> archive) {
    static final LaunchFiles NONE = new LaunchFiles(Optional.empty(), Optional.empty());

    /**
     * A class-data archive: the classes a pass loads, kept parsed and verified, so that the next JVM maps them
     * instead of loading them from the jar.
     *
     * @param file      where it is, or will be once created
     * @param exists    whether it is there to use
     * @param classList when it is not there yet: where this launch's JVM lists the classes it loads
     * @param dumpTo    where the archive of those classes is written after a pass that succeeded; then moved to
     *                  {@code file}
     */
    record ClassArchive(Path file, boolean exists, Path classList, Path dumpTo) {
    }
}
