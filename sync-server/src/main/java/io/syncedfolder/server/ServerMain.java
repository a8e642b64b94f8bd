package io.syncedfolder.server;

import io.syncedfolder.server.auth.UserStore;
import io.syncedfolder.server.index.RetentionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code sync-server} command (SPEC §2): parses the options, starts a {@link SyncServer} and serves until
 * SIGTERM or SIGINT. Exit codes: 1 if the server cannot start, 2 for bad usage (including no token and no users).
 * The {@code user} subcommands ({@link UserMain}) manage the accounts.
 */
@Command(name = "sync-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        description = "Serves a synced folder's index and blobs to sync-client over HTTP.",
        subcommands = UserMain.class)
public final class ServerMain implements Callable<Integer> {
    static final int MAX_KEEP_VERSIONS = 100_000;
    static final int MAX_KEEP_DAYS = 36_500;
    static final int MAX_GC_GRACE_HOURS = 87_600;
    static final int MAX_GC_INTERVAL_MINUTES = 525_600;
    static final String NO_TOKEN = ServerConfig.NO_TOKEN_NO_USERS;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = ServerConfig.DEFAULT_BIND,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    private String bind;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "server-data",
            description = "where the index and blobs live, created if missing (default: ./${DEFAULT-VALUE})")
    private Path data;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:SYNC_TOKEN}",
            description = "single-user mode: the bearer token of user \"default\" (default: the SYNC_TOKEN"
                    + " environment variable); without it, the accounts of `sync-server user add`")
    private String token;

    @Option(names = "--keep-versions", paramLabel = "N", defaultValue = "20",
            description = "earlier versions kept per file at most; 0 keeps none (default: ${DEFAULT-VALUE})")
    private int keepVersions;

    @Option(names = "--keep-days", paramLabel = "D", defaultValue = "30",
            description = "days an earlier version or deleted file is kept after it was replaced or deleted;"
                    + " 0 keeps none (default: ${DEFAULT-VALUE})")
    private int keepDays;

    @Option(names = "--gc-grace-hours", paramLabel = "H", defaultValue = "24",
            description = "hours an uploaded blob no version refers to yet is kept for the commit that will use it"
                    + " (default: ${DEFAULT-VALUE})")
    private int gcGraceHours;

    @Option(names = "--gc-interval-minutes", paramLabel = "M", defaultValue = "60",
            description = "minutes between collections of blobs no kept version refers to (default: ${DEFAULT-VALUE})")
    private int gcIntervalMinutes;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (token != null && token.isBlank()) {
            token = null;
        }
        try {
            if (token == null && new UserStore(data).list().isEmpty()) {
                err.println(NO_TOKEN);
                err.flush();
                return CommandLine.ExitCode.USAGE;
            }
        } catch (IOException e) {
            err.println("sync-server: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        Optional<String> badOption = outOfRange("--port", port, 0, 65_535)
                .or(() -> outOfRange("--keep-versions", keepVersions, 0, MAX_KEEP_VERSIONS))
                .or(() -> outOfRange("--keep-days", keepDays, 0, MAX_KEEP_DAYS))
                .or(() -> outOfRange("--gc-grace-hours", gcGraceHours, 1, MAX_GC_GRACE_HOURS))
                .or(() -> outOfRange("--gc-interval-minutes", gcIntervalMinutes, 1, MAX_GC_INTERVAL_MINUTES));
        if (badOption.isPresent()) {
            err.println(badOption.get());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        ServerConfig config = new ServerConfig(bind, port, data, token,
                new RetentionPolicy(keepVersions, Duration.ofDays(keepDays)), Duration.ofHours(gcGraceHours),
                Duration.ofMinutes(gcIntervalMinutes));
        SyncServer server;
        try {
            server = SyncServer.start(config);
        } catch (IOException e) {
            err.println("sync-server: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sync-server-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("listening on http://" + hostForUrl(bind) + ":" + server.port());
        out.flush();
        stopped.await();
        return CommandLine.ExitCode.OK;
    }

    private static Optional<String> outOfRange(String option, int value, int min, int max) {
        if (value >= min && value <= max) {
            return Optional.empty();
        }
        return Optional.of(option + " must be between " + min + " and " + max + ", not " + value);
    }

    private static String hostForUrl(String bind) {
        return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
    }

    /** Reports the version Maven wrote into {@code version.properties} at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = ServerMain.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"sync-server " + properties.getProperty("version", "unknown")};
        }
    }
}
