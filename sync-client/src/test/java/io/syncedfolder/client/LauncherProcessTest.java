package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.launch.Launcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's entry point as a user's terminal starts it: a {@code --once} pass runs in a second, tuned JVM, and the
 * launcher behaves as the pass itself would: its exit code, its output, its response to signals.
 */
class LauncherProcessTest {
    @TempDir
    Path temp;

    private ProcessBuilder launcher(String... args) {
        // The class path goes in CLASSPATH: the JDK cannot read back a command line longer than a page, and a
        // launcher that cannot tell how it was started runs the pass itself.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Launcher.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        builder.environment().put("XDG_CACHE_HOME", temp.resolve("cache").toString());
        builder.environment().put("LC_ALL", "C.UTF-8");
        return builder;
    }

    private static String[] pass(String server, Path folder) {
        return new String[] {"--server", server, "--token", TestServer.TOKEN, "--folder", folder.toString(),
            "--device", "launched", "--once"};
    }

    private Optional<Path> directives() throws IOException {
        Path cache = temp.resolve("cache/synced-folder");
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(file -> file.getFileName().toString().startsWith("compiler-directives-")).findFirst();
        }
    }

    @Test
    void aOncePassRunsInATunedJvmAndSyncs() throws Exception {
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            Path folder = temp.resolve("a");
            Files.createDirectories(folder.resolve("docs"));
            Files.writeString(folder.resolve("docs/note.txt"), "crossed over through the launcher");

            Process pass = launcher(pass(server.url(), folder)).redirectErrorStream(true).start();
            String output = new String(pass.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(pass.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(pass.exitValue()).as(output).isZero();
            assertThat(output).contains("uploaded docs/note.txt").doesNotContain("compiler directives");
            assertThat(directives()).as("the launcher prepared the tuned JVM's directives").isPresent();
            try (TestClient other = new TestClient("other", temp.resolve("b"), server)) {
                other.sync();
                assertThat(Files.readString(temp.resolve("b/docs/note.txt"))).isEqualTo("crossed over through the launcher");
            }
        }
    }

    @Test
    void thePassesExitCodeAndMessagesComeThrough() throws Exception {
        Process badUsage = launcher("--folder", temp.resolve("a").toString(), "--once").start();
        String usage = new String(badUsage.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(badUsage.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(badUsage.exitValue()).isEqualTo(2);
        assertThat(usage).contains("sync-client:", "--server");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Process unreachable = launcher(pass("http://127.0.0.1:" + closedPort, temp.resolve("a"))).start();
        String reason = new String(unreachable.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(unreachable.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(unreachable.exitValue()).as(reason).isEqualTo(1);
    }

    @Test
    void jvmOptionsOfTheUsersOwnKeepThePassInTheStartedJvm() throws Exception {
        ProcessBuilder withOptions = launcher("--folder", temp.resolve("a").toString(), "--once");
        withOptions.environment().put("JDK_JAVA_OPTIONS", "-Xmx256m");
        Process pass = withOptions.start();
        pass.getErrorStream().readAllBytes();
        assertThat(pass.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(pass.exitValue()).isEqualTo(2);
        assertThat(directives()).as("no tuned JVM was prepared").isEmpty();
    }

    /** Starts a launcher whose pass waits on {@code silent} until it is stopped. */
    private Process startWaitingPass(SilentServer silent) throws IOException {
        return launcher(pass(silent.url(), temp.resolve("a"))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true).start();
    }

    @Test
    void killingTheLauncherStopsThePass() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Process launcher = startWaitingPass(silent);
            ProcessHandle pass = silent.awaitPassOf(launcher);

            launcher.destroyForcibly(); // kill -9: no chance to pass anything on

            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pass.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("the pass outlived its launcher").isFalse();
        }
    }

    @Test
    void sigtermToTheLauncherStopsThePassAndReturnsItsExitCode() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Process launcher = startWaitingPass(silent);
            ProcessHandle pass = silent.awaitPassOf(launcher);

            launcher.destroy(); // SIGTERM, as a service manager or `kill` sends

            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).as("the pass's exit code on SIGTERM").isEqualTo(143);
            assertThat(pass.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        }
    }

    /** A server that accepts connections and never answers: a pass that reaches it waits until it is stopped. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final CountDownLatch reached = new CountDownLatch(1);

        SilentServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                        reached.countDown();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        /** Waits until a pass has connected, and returns the launcher's child JVM that runs it. */
        ProcessHandle awaitPassOf(Process launcher) throws InterruptedException {
            assertThat(reached.await(60, TimeUnit.SECONDS)).as("the pass reached the server").isTrue();
            List<ProcessHandle> children = launcher.toHandle().children().toList();
            assertThat(children).as("the launcher's child JVMs").hasSize(1);
            return children.get(0);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
