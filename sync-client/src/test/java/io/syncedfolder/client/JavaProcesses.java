package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.server.ServerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts the client and the server as real processes from the test class path, as a user's terminal would. */
final class JavaProcesses {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private JavaProcesses() {
    }

    /** Starts a one-shot client pass on {@code folder}; its output is discarded. */
    static Process client(String serverUrl, Path folder, String device, String... jvmOptions) throws IOException {
        List<String> command = java(jvmOptions);
        command.addAll(List.of(ClientMain.class.getName(), "--server", serverUrl, "--token", TestServer.TOKEN,
                "--folder", folder.toString(), "--device", device, "--once"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C.UTF-8");
        return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Runs a one-shot client pass to its end and asserts it succeeded. */
    static void syncOnce(String serverUrl, Path folder, String device, String... jvmOptions) throws Exception {
        Process process = client(serverUrl, folder, device, jvmOptions);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s's pass ended in time", device).isTrue();
        assertThat(process.exitValue()).as("%s's exit code", device).isZero();
    }

    /** A server process on a free loopback port. */
    record ServerProcess(Process process, String url) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts a server on {@code data} and waits until it says where it listens. */
    static ServerProcess server(Path data, String... jvmOptions) throws IOException {
        List<String> command = java(jvmOptions);
        command.addAll(List.of(ServerMain.class.getName(), "--port", "0", "--bind", "127.0.0.1",
                "--data", data.toString(), "--token", TestServer.TOKEN));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }), "server-output");
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(process, listening.group(1));
            }
        }
        throw new IOException("the server process ended without saying where it listens");
    }

    private static List<String> java(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return command;
    }
}
