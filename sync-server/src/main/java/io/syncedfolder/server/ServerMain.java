package io.syncedfolder.server;

import io.syncedfolder.common.CompilerDirectives;
import io.syncedfolder.common.IdleMemory;
import io.syncedfolder.common.config.ConfigFile;
import io.syncedfolder.server.auth.UserStore;
import io.syncedfolder.server.index.RetentionPolicy;
import io.syncedfolder.server.tls.BadTlsFilesException;
import io.syncedfolder.server.tls.SelfSignedCertificate;
import io.syncedfolder.server.tls.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
        description = "Serves a synced folder's index and blobs to sync-client over HTTP or HTTPS.",
        subcommands = {ServerMain.Cert.class, UserMain.class})
public final class ServerMain implements Callable<Integer> {
    static final int MAX_KEEP_VERSIONS = 100_000;
    static final int MAX_KEEP_DAYS = 36_500;
    static final int MAX_GC_GRACE_HOURS = 87_600;
    static final int MAX_GC_INTERVAL_MINUTES = 525_600;
    static final String NO_TOKEN = ServerConfig.NO_TOKEN_NO_USERS;
    private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

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

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "serve HTTPS only, with this PEM certificate (the server's first, then any intermediates);"
                    + " needs --tls-key. `sync-server cert generate` makes a self-signed pair")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "the unencrypted PEM private key (RSA or EC) of --tls-cert")
    private Path tlsKey;

    @Option(names = ConfigFile.OPTION, paramLabel = "FILE",
            description = "read options from this YAML file, one 'option: value' per line (e.g. 'port: 8443');"
                    + " a flag beats an environment variable, which beats the file")
    private Path configFile;

    @Spec
    private CommandSpec spec;

    /** The process's entry point: the JVM is this program's alone, so its compiler is tuned for it (not in tests). */
    public static void main(String[] args) {
        addCompilerDirectives();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line printing to {@code out} and {@code err}, with options from {@code --config FILE} too. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new ServerMain()).setOut(out).setErr(err);
        return ConfigFile.execute(commandLine, "sync-server", args);
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
        TlsIdentity tls = null;
        if ((tlsCert == null) != (tlsKey == null)) {
            err.println("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        if (tlsCert != null) {
            try {
                tls = TlsIdentity.load(tlsCert, tlsKey);
            } catch (BadTlsFilesException e) {
                err.println("sync-server: " + e.getMessage());
                err.flush();
                return CommandLine.ExitCode.USAGE;
            }
            if (tls.certificate().getNotAfter().toInstant().isBefore(Instant.now())) {
                err.println("sync-server: warning: the certificate in " + tlsCert + " expired on "
                        + tls.certificate().getNotAfter().toInstant() + "; clients that do not pin it will refuse it");
                err.flush();
            }
        } else if (!isLoopback(bind)) {
            err.println("sync-server: warning: serving plain HTTP on " + bind + ": tokens and files travel in clear "
                    + "text; serve HTTPS with --tls-cert and --tls-key (`sync-server cert generate` makes a pair)"
                    + " or put a TLS proxy in front");
            err.flush();
        }
        SyncServer server;
        try {
            server = SyncServer.start(new ServerConfig(bind, port, data, token,
                    new RetentionPolicy(keepVersions, Duration.ofDays(keepDays)), Duration.ofHours(gcGraceHours),
                    Duration.ofMinutes(gcIntervalMinutes), tls));
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
        out.println("listening on " + (tls == null ? "http" : "https") + "://" + SyncServer.hostForUrl(bind) + ":" + server.port());
        if (tls != null) {
            out.println("certificate fingerprint " + tls.fingerprint());
        }
        out.flush();
        IdleMemory.returnWhenIdle();
        stopped.await();
        return CommandLine.ExitCode.OK;
    }

    /**
     * Gives the JIT the shipped {@link CompilerDirectives} beside the start-up, which goes on meanwhile: adding them
     * starts the JVM's management server, 0.15-0.17 s, and a short command such as {@code user add} may end first,
     * which costs nothing. W1 against a freshly started server took 5% less time with them; against one that had
     * synced 10,000 other files first, no longer: the server's steady state is no slower (bench/README.md).
     */
    private static void addCompilerDirectives() {
        Thread adding = new Thread(() -> LOG.debug(CompilerDirectives.addToThisJvm()
                ? "compiler directives added: the optimizing compiler is kept for hashing"
                : "compiler directives not added: the JVM's own compiler options, or it cannot take any"),
                "compiler-directives");
        adding.setDaemon(true);
        adding.start();
    }

    private static Optional<String> outOfRange(String option, int value, int min, int max) {
        if (value >= min && value <= max) {
            return Optional.empty();
        }
        return Optional.of(option + " must be between " + min + " and " + max + ", not " + value);
    }

    /** True if {@code bind} is a loopback address, so plain HTTP never leaves this machine. */
    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind.replaceAll("^\\[|]$", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true; // the server cannot listen there either, and says so
        }
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

    /** {@code sync-server cert}: only groups {@code generate}. */
    @Command(name = "cert", mixinStandardHelpOptions = true, versionProvider = Version.class,
            subcommands = Generate.class,
            description = "Certificates for HTTPS (--tls-cert / --tls-key).")
    static final class Cert extends CommandGroup {
    }

    /** {@code sync-server cert generate}: writes a self-signed certificate and key, and says how to use them. */
    @Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {
                "Writes cert.pem and key.pem (readable only by you): a self-signed certificate for localhost, "
                    + "127.0.0.1 and the hosts given, valid for two years, and prints its fingerprint and the "
                    + "command lines that use it. Clients trust it by that fingerprint (--server-fingerprint).",
                ""
            })
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
                description = "the folder to write the two files into, created if missing (default: the current one)")
        private Path out;

        @Option(names = "--host", paramLabel = "NAME",
                description = "another name or address clients use to reach the server; repeatable")
        private List<String> hosts = new ArrayList<>();

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SelfSignedCertificate.Written written;
            try {
                written = SelfSignedCertificate.write(out, hosts, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--host: " + e.getMessage());
            } catch (FileAlreadyExistsException e) {
                err.println("sync-server: cannot write " + e.getFile() + ": " + e.getReason());
                err.flush();
                return CommandLine.ExitCode.SOFTWARE;
            } catch (IOException e) {
                err.println("sync-server: cannot write the certificate into " + out + ": " + e.getMessage());
                err.flush();
                return CommandLine.ExitCode.SOFTWARE;
            }
            Path cert = written.certFile().toAbsolutePath().normalize();
            Path key = written.keyFile().toAbsolutePath().normalize();
            String host = written.names().size() > 2 ? written.names().get(2) : "127.0.0.1";
            String urlHost = SyncServer.hostForUrl(host);
            stdout.println("wrote " + cert + " and " + key + " (the key is readable only by you)");
            stdout.println("valid for " + String.join(", ", written.names()) + " until "
                    + LocalDate.ofInstant(written.notAfter(), ZoneOffset.UTC));
            stdout.println("certificate fingerprint " + written.fingerprint());
            stdout.println();
            stdout.println("start the server with:");
            stdout.println("  java -jar sync-server/target/sync-server.jar --tls-cert " + cert + " --tls-key " + key
                    + (written.names().size() > 2 ? " --bind 0.0.0.0" : "") + " --port 8080 --data ./server-data --token SECRET");
            stdout.println("and each client with:");
            stdout.println("  java -jar sync-client/target/sync-client.jar --server https://" + urlHost + ":8080"
                    + " --server-fingerprint " + written.fingerprint() + " --token SECRET --folder ./synced");
            stdout.flush();
            return CommandLine.ExitCode.OK;
        }
    }
}
