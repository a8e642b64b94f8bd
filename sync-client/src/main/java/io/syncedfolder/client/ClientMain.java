package io.syncedfolder.client;

import io.syncedfolder.client.plan.SyncContext;
import io.syncedfolder.client.conflicts.ConflictCopies;
import io.syncedfolder.client.conflicts.ConflictCopy;
import io.syncedfolder.client.conflicts.ConflictText;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.client.safety.KnownFolders;
import io.syncedfolder.client.status.FolderStatus;
import io.syncedfolder.client.status.StatusReader;
import io.syncedfolder.client.status.StatusText;
import io.syncedfolder.client.why.Explanation;
import io.syncedfolder.client.why.WhyReader;
import io.syncedfolder.client.why.WhyText;
import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.CertificateFingerprint;
import io.syncedfolder.common.IdleMemory;
import io.syncedfolder.common.SecretFiles;
import io.syncedfolder.common.config.ConfigFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The client command line: keeps a local folder in sync with the server (SPEC §2). */
@Command(name = "sync-client", mixinStandardHelpOptions = true, version = "sync-client 0.1.0",
        sortOptions = false,
        description = {
            "Keeps a local folder identical to the server's copy, and so to every other folder synced with it. "
                + "Added, changed and deleted files cross over both ways; when a file changed on two devices at "
                + "once, the newer one keeps the name and the other is saved beside it as a .sync-conflict- copy.",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the pass completed and the folder is in sync",
            "1:the pass failed (server unreachable, token refused, I/O error); the reason is on stderr",
            "2:bad usage"
        },
        subcommands = {ClientMain.Status.class, ClientMain.Why.class, ClientMain.Conflicts.class, HistoryCommand.class,
            RestoreCommand.class, TrashCommand.class})
public final class ClientMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL", defaultValue = "${env:SYNC_SERVER}",
            description = "Server base URL, e.g. http://127.0.0.1:8080 (env SYNC_SERVER).")
    private String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "T", defaultValue = "${env:SYNC_TOKEN}",
            description = "Access token the server was started with (env SYNC_TOKEN).")
    private String token;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Read the access token from the first line of this file instead (keep it private: "
                    + "chmod 600), so it does not show in the process list.")
    private Path tokenFile;

    @Option(names = "--server-fingerprint", scope = ScopeType.INHERIT, paramLabel = "SHA256:HEX",
            defaultValue = "${env:SYNC_SERVER_FINGERPRINT}",
            description = "Trust exactly the https server certificate with this fingerprint, as the server prints it "
                    + "at start-up (for a self-signed certificate; env SYNC_SERVER_FINGERPRINT).")
    private String serverFingerprint;

    @Option(names = "--folder", scope = ScopeType.INHERIT, paramLabel = "DIR", defaultValue = "./synced",
            description = "The local folder to keep in sync; created if missing (default: ${DEFAULT-VALUE}).")
    private Path folder;

    @Option(names = "--device", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "This device's name, used in conflict-copy names (default: the host name).")
    private String device;

    @Option(names = "--once", description = "Run one full pass (push local changes, pull remote ones), then exit.")
    private boolean once;

    @Option(names = "--interval", paramLabel = "S", defaultValue = "5",
            description = "Seconds between full rescans when running continuously (default: ${DEFAULT-VALUE}).")
    private int intervalSeconds;

    @Option(names = "--max-delete-percent", paramLabel = "P",
            defaultValue = "" + ClientConfig.Safety.DEFAULT_MAX_DELETE_PERCENT,
            description = "Stop, instead of deleting, when one pass would delete more than P %% of the synced files "
                    + "(and more than 10), here or on the server: a folder that looks emptied is more often an "
                    + "unmounted drive than a wish (default: ${DEFAULT-VALUE}).")
    private int maxDeletePercent;

    @Option(names = "--allow-mass-delete",
            description = "Let the first pass delete however many files it must (after checking that is really meant).")
    private boolean allowMassDelete;

    @Option(names = "--max-conflict-copies", paramLabel = "N", defaultValue = "" + SyncContext.DEFAULT_MAX_CONFLICT_COPIES,
            description = "Keep at most N conflict copies of one file; older ones that are synced are removed "
                    + "(the server keeps them in its history) (default: ${DEFAULT-VALUE}).")
    private int maxConflictCopies;

    @Option(names = "--recreate-folder",
            description = "Sync the folder as a new one although it was synced before and it, or its .sync state, "
                    + "is gone. Nothing is deleted anywhere then; files that differ become conflict copies.")
    private boolean recreateFolder;

    @Option(names = ConfigFile.OPTION, scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Read options from this YAML file, one 'option: value' per line (e.g. 'folder: ./synced'). "
                    + "A flag beats an environment variable, which beats the file.")
    private Path configFile;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line printing to {@code out} and {@code err}, and returns its exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new ClientMain()).setOut(out).setErr(err).setParameterExceptionHandler((e, given) -> {
            e.getCommandLine().getErr().println("sync-client: " + e.getMessage());
            e.getCommandLine().getErr().println("Run 'sync-client --help' to see the options.");
            return CommandLine.ExitCode.USAGE;
        });
        return ConfigFile.execute(commandLine, "sync-client", args);
    }

    @Override
    public Integer call() throws Exception {
        Connection connection = connection(true);
        ClientConfig config = validatedConfig(connection);
        PrintWriter err = spec.commandLine().getErr();
        if (!Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")).equals(java.nio.charset.StandardCharsets.UTF_8)) {
            err.println("sync-client: this system's locale cannot represent non-ASCII file names; "
                    + "start it with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 java -jar sync-client.jar …");
            return 2;
        }
        try (ServerClient client = connection.open();
             SyncLoop loop = SyncLoop.open(config, client, Clock.systemDefaultZone())) {
            if (once) {
                PassResult result = loop.runPass();
                if (!result.inSync()) {
                    err.println("sync-client: not in sync: " + String.join("; ", result.problems()));
                    return 1;
                }
                return 0;
            }
            IdleMemory.returnWhenIdle();
            ContinuousSync continuous = new ContinuousSync(loop, client, loop.root(), config.interval());
            CountDownLatch finished = new CountDownLatch(1);
            // On SIGTERM/SIGINT: let the pass in progress finish (it saves its state), then exit.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                continuous.stop();
                try {
                    finished.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "shutdown"));
            try {
                return continuous.run();
            } finally {
                finished.countDown();
            }
        } catch (IOException e) {
            err.println("sync-client: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The server, token and certificate trust every command connects with; {@link #open()} is the one way a
     * command makes its {@link ServerClient}.
     */
    record Connection(String serverUrl, String token, String serverFingerprint) {
        ServerClient open() {
            return new ServerClient(serverUrl, token, serverFingerprint);
        }

        @Override
        public String toString() {
            return serverUrl; // never the token
        }
    }

    /**
     * Returns the connection the options describe. The token comes from --token or --token-file on the command
     * line (not both), else SYNC_TOKEN, else the config file's token, else its token-file.
     *
     * @param required without it, a missing server or token returns null instead of failing
     * @throws ParameterException for a missing or malformed value (exit code 2)
     */
    private Connection connection(boolean required) {
        boolean tokenFlag = givenOnCommandLine("--token");
        boolean tokenFileFlag = givenOnCommandLine("--token-file");
        if (tokenFlag && tokenFileFlag) {
            throw usage("give the token with --token or with --token-file, not both");
        }
        String secret = !tokenFileFlag && token != null && !token.isBlank() ? token
                : tokenFile != null ? readTokenFile(tokenFile) : null;
        if (!required && (secret == null || server == null || server.isBlank())) {
            return null;
        }
        if (server == null || server.isBlank()) {
            throw usage("missing --server URL (or set SYNC_SERVER), e.g. --server http://127.0.0.1:8080");
        }
        if (!server.startsWith("http://") && !server.startsWith("https://")) {
            throw usage("--server must be an http:// or https:// URL, not '" + server + "'");
        }
        if (secret == null) {
            throw usage("missing --token (or SYNC_TOKEN, or --token-file): use the token the server was started with");
        }
        String pin = null;
        if (serverFingerprint != null && !serverFingerprint.isBlank()) {
            if (!server.startsWith("https://")) {
                throw usage("--server-fingerprint needs an https:// --server URL");
            }
            try {
                pin = CertificateFingerprint.parse(serverFingerprint);
            } catch (IllegalArgumentException e) {
                throw usage("--server-fingerprint: " + e.getMessage());
            }
        }
        return new Connection(server.replaceAll("/+$", ""), secret, pin);
    }

    /** True if {@code option} was typed on the command line, before or after a subcommand (not from env or file). */
    private boolean givenOnCommandLine(String option) {
        for (ParseResult result = spec.commandLine().getParseResult(); result != null; result = result.subcommand()) {
            if (result.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the first line of {@code file}, trimmed; warns if other users may read the file. */
    private String readTokenFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw usage("--token-file " + file + ": no such file");
        } catch (IOException e) {
            // The message of a decoding failure says nothing of the content; the token never shows.
            throw usage("cannot read --token-file " + file + ": " + e.getClass().getSimpleName());
        }
        String value = lines.isEmpty() ? "" : lines.get(0).strip();
        if (value.isEmpty()) {
            throw usage("--token-file " + file + " is empty: put the token on its first line");
        }
        if (SecretFiles.readableByOthers(file)) {
            spec.commandLine().getErr().println("sync-client: warning: other users may read the token in " + file
                    + "; run 'chmod 600 " + file + "'");
        }
        return value;
    }

    private ClientConfig validatedConfig(Connection connection) {
        if (intervalSeconds < 1) {
            throw usage("--interval must be at least 1 second");
        }
        if (maxDeletePercent < 0 || maxDeletePercent > 100) {
            throw usage("--max-delete-percent must be between 0 and 100");
        }
        if (maxConflictCopies < 1) {
            throw usage("--max-conflict-copies must be at least 1");
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw usage("--folder " + folder + " is a file, not a folder");
        }
        String name = device == null || device.isBlank() ? hostName() : device.strip();
        if (name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
            throw usage("--device must be a name of at most 255 characters without control characters");
        }
        return new ClientConfig(connection.serverUrl(), connection.token(), folder, name, Duration.ofSeconds(intervalSeconds),
                new ClientConfig.Safety(maxDeletePercent, allowMassDelete, maxConflictCopies, KnownFolders.defaultFile(),
                        recreateFolder));
    }

    /** Connects to the server for a subcommand that needs it; missing or bad settings are bad usage (exit 2). */
    ServerClient connect() {
        return connection(true).open();
    }

    /** Returns the folder given with {@code --folder}. */
    Path folder() {
        return folder;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "device";
        }
    }

    /** {@code sync-client status}: is the folder in sync, what is pending, when did it last sync. */
    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Shows whether the folder is in sync, what is waiting to be uploaded or downloaded, when it was "
                    + "last in sync and which server it syncs with. It changes nothing, so it can run while a "
                    + "client keeps the folder in sync. Without a token it reports from the saved state only.",
                ""
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:the folder is in sync",
                "1:it is not (or the status could not be read); details on stdout or stderr",
                "2:bad usage"
            })
    static final class Status implements Callable<Integer> {
        @ParentCommand
        private ClientMain parent;

        @Spec
        private CommandSpec spec;

        @Option(names = "--json", description = "Print the status as JSON, for scripts.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(parent.folder.resolve(io.syncedfolder.common.PathRules.STATE_DIR))) {
                err.println("sync-client: " + parent.folder + " has never been synced (no .sync folder in it)");
                return 1;
            }
            Connection connection = parent.connection(false);
            String device = parent.device == null || parent.device.isBlank() ? hostName() : parent.device.strip();
            FolderStatus status;
            try (ServerClient client = connection == null ? null : connection.open()) {
                status = new StatusReader(Clock.systemDefaultZone())
                        .read(parent.folder, connection == null ? null : connection.serverUrl(), client, device);
            } catch (IOException e) {
                err.println("sync-client: " + e.getMessage());
                return 1;
            }
            Listing.print(out, json, status, o -> StatusText.print(status, o, Clock.systemDefaultZone()));
            return status.inSync() ? 0 : 1;
        }
    }

    /** {@code sync-client why PATH}: what the last pass saw for one path, the rule that fired, what was done. */
    @Command(name = "why", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Explains what the last pass did with one path: the three things it compared (the file here, the "
                    + "base this client last synced, the server's entry: version, hash, size, time, device), the "
                    + "sync rule that fired and how its action ended. It reads only the folder's .sync/ state, so "
                    + "it needs no server and changes nothing.",
                ""
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:the path was explained",
                "1:the path is unknown to this client, or the folder was never synced",
                "2:bad usage (e.g. a path outside the folder)"
            })
    static final class Why implements Callable<Integer> {
        @ParentCommand
        private ClientMain parent;

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "PATH", description = "The path, relative to the folder or absolute inside it.")
        private String path;

        @Option(names = "--json", description = "Print the explanation as JSON, for scripts.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Explanation why;
            try {
                why = WhyReader.explain(parent.folder, path, ZoneId.systemDefault());
            } catch (BadPathException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            } catch (IOException e) {
                err.println("sync-client: " + e.getMessage());
                return 1;
            }
            if (why.verdict() == Explanation.Verdict.NEVER_SYNCED && !json) {
                err.println("sync-client: " + parent.folder + " has never been synced (no saved state in it)");
                return 1;
            }
            Listing.print(out, json, why, o -> WhyText.print(why, o, ZoneId.systemDefault()));
            return why.explained() ? 0 : 1;
        }
    }

    /** {@code sync-client conflicts}: the conflict copies in the folder, with the file each conflicts with. */
    @Command(name = "conflicts", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Lists the conflict copies in the folder (names like report.sync-conflict-20261122-031500-laptop.txt) "
                    + "with the file each conflicts with, when and on which device it was made, and its size. It "
                    + "looks only at the folder, so it needs no server and changes nothing.",
                ""
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:listed (also when there are none)",
                "1:the folder could not be read",
                "2:bad usage"
            })
    static final class Conflicts implements Callable<Integer> {
        @ParentCommand
        private ClientMain parent;

        @Spec
        private CommandSpec spec;

        @Option(names = "--json", description = "Print the list as JSON, for scripts.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(parent.folder)) {
                err.println("sync-client: " + parent.folder + " is not a folder");
                return 1;
            }
            List<ConflictCopy> copies;
            try {
                copies = ConflictCopies.list(parent.folder);
            } catch (IOException e) {
                err.println("sync-client: " + e.getMessage());
                return 1;
            }
            Listing.print(out, json, copies, o -> ConflictText.print(copies, parent.folder.toString(), o));
            return 0;
        }
    }
}
