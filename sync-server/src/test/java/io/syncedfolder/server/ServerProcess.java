package io.syncedfolder.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A sync-server running as a separate JVM, started the way a user starts it, for tests that kill it. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code ServerMain} with {@code args} and waits for its "listening on" line. */
    static ServerProcess start(Path log, String... args) throws IOException, InterruptedException {
        return start(log, List.of(), args);
    }

    /** Starts {@code ServerMain} as {@link #start(Path, String...)} does, its JVM given {@code jvmOptions} too. */
    static ServerProcess start(Path log, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process process = launch(log, null, jvmOptions, args);
        BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("the server did not start; its log:\n" + Files.readString(log), e);
        }
        Matcher matcher = line == null ? null : LISTENING.matcher(line);
        if (matcher == null || !matcher.matches()) {
            process.destroyForcibly();
            process.waitFor();
            throw new IOException("expected a \"listening on\" line, got " + line + "; log:\n" + Files.readString(log));
        }
        return new ServerProcess(process, Integer.parseInt(matcher.group(1)));
    }

    /**
     * Launches {@code ServerMain} with the test class path, a UTF-8 locale and no {@code SYNC_TOKEN} from the
     * environment; stderr goes to {@code log}.
     */
    static Process launch(Path log, String syncToken, String... args) throws IOException {
        return launch(log, syncToken, List.of(), args);
    }

    private static Process launch(Path log, String syncToken, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                // The test class path holds a quieter logging setup; the child's log file may as well be complete.
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().remove("SYNC_TOKEN");
        if (syncToken != null) {
            builder.environment().put("SYNC_TOKEN", syncToken);
        }
        return builder.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Kills the server without warning (SIGKILL, as kill -9 does) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Kills the server if it still runs, without waiting for it. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
