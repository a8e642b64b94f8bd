package io.syncedfolder.client.launch;

import io.syncedfolder.client.ClientMain;
import io.syncedfolder.client.launch.LaunchFiles.ClassArchive;
import java.io.IOException;

/**
 * The jar's entry point. A {@code --once} pass started as plain {@code java -jar sync-client.jar} runs in a second
 * JVM started with the options of {@link PassJvm}, which {@code java -jar} cannot carry; this JVM waits for it and
 * exits with its code. When the cache has no class-data archive for this jar and JDK yet, the pass lists the
 * classes it loads and, if it succeeds, this JVM has them archived before it exits. Every other command runs here,
 * in the JVM the user started.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        String launcher = System.getProperty(PassJvm.LAUNCHED_PROPERTY);
        if (launcher != null) {
            ParentWatch.haltWhenGone(Long.parseLong(launcher));
            ClientMain.main(args);
            return;
        }
        Invocation invocation = Invocation.current();
        if (!PassJvm.applies(invocation, args)) {
            ClientMain.main(args);
            return;
        }
        LaunchFiles files = LaunchCache.open(invocation.environment())
                .map(cache -> cache.prepare(invocation.classPath()))
                .orElse(LaunchFiles.NONE);
        int code;
        try {
            code = ChildJvm.run(PassJvm.command(invocation, args, files));
        } catch (IOException e) {
            ClientMain.main(args); // no second JVM could be started: the pass runs in this one
            return;
        }
        files.archive().filter(archive -> !archive.exists())
                .ifPresent(archive -> archiveListedClasses(invocation, archive, code == 0));
        System.exit(code);
    }

    /** After a pass that listed its classes: archives them if it succeeded, else deletes the list. */
    private static void archiveListedClasses(Invocation invocation, ClassArchive archive, boolean passSucceeded) {
        if (passSucceeded) {
            LaunchCache.install(archive, () -> ArchiveDump.run(PassJvm.dumpCommand(invocation, archive)));
        } else {
            LaunchCache.discard(archive);
        }
    }
}
