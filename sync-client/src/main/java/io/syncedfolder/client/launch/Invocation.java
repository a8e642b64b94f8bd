package io.syncedfolder.client.launch;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How this JVM was started: its process id, its executable, which virtual machine that is, its arguments
 * (everything after the executable, JVM options included), its class path and its environment.
 *
 * @param java       the {@code java} executable, if the platform says
 * @param vm         the virtual machine's name ({@code java.vm.name})
 * @param arguments  the process's arguments, empty if the platform does not say (Linux does not for a command line
 *                   longer than a page)
 */
record Invocation(long pid, Optional<String> java, String vm, List<String> arguments, String classPath,
                  Map<String, String> environment) {
    Invocation {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
    }

    /** This process's invocation (its arguments from {@code /proc} on Linux). */
    static Invocation current() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        return new Invocation(ProcessHandle.current().pid(), info.command(), System.getProperty("java.vm.name", ""),
                info.arguments().map(List::of).orElse(List.of()), System.getProperty("java.class.path", ""),
                System.getenv());
    }
}
