package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.SyncServer;
import io.syncedfolder.server.tls.SelfSignedCertificate;
import io.syncedfolder.server.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the client takes its token from ({@code --token-file} among them), and that it never shows it. */
class TokenTest {
    @TempDir
    Path temp;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path tokenFile(String content, String mode) throws IOException {
        Path file = Files.writeString(temp.resolve("token-" + mode), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void theTokenFileGivesTheTokenAndWarnsOnlyIfOthersMayReadIt() throws IOException {
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            Path folder = temp.resolve("folder");
            Path privateFile = tokenFile("  " + TestServer.TOKEN + "  \nsecond line is ignored\n", "rw-------");
            Path sharedFile = tokenFile(TestServer.TOKEN + "\n", "rw-r--r--");

            CliRun quiet = run("--server", server.url(), "--token-file", privateFile.toString(), "--folder",
                    folder.toString(), "--once");
            CliRun warned = run("--server", server.url(), "--folder", folder.toString(), "--once",
                    "--token-file", sharedFile.toString());
            CliRun status = run("status", "--server", server.url(), "--folder", folder.toString(),
                    "--token-file", privateFile.toString());

            assertThat(quiet.err()).isEmpty();
            assertThat(quiet.exitCode()).isZero();
            assertThat(warned.err()).isEqualTo("sync-client: warning: other users may read the token in " + sharedFile
                    + "; run 'chmod 600 " + sharedFile + "'" + System.lineSeparator());
            assertThat(warned.exitCode()).isZero();
            assertThat(status.exitCode()).as(status.err()).isZero();
        }
    }

    @Test
    void aMissingOrEmptyTokenFileOrTwoTokensAreBadUsage() throws IOException {
        Path folder = temp.resolve("folder");
        Path empty = tokenFile("\n", "rw-------");
        Path missing = temp.resolve("no-such-token");

        CliRun gone = run("--server", "http://127.0.0.1:1", "--token-file", missing.toString(), "--folder",
                folder.toString(), "--once");
        CliRun blank = run("--server", "http://127.0.0.1:1", "--token-file", empty.toString(), "--folder",
                folder.toString(), "--once");
        CliRun both = run("--server", "http://127.0.0.1:1", "--token", "t", "--token-file", empty.toString(),
                "--folder", folder.toString(), "--once");

        assertThat(gone.exitCode()).isEqualTo(2);
        assertThat(gone.err()).contains("--token-file " + missing + ": no such file");
        assertThat(blank.exitCode()).isEqualTo(2);
        assertThat(blank.err()).contains("is empty");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--token or with --token-file, not both");
        assertThat(folder).doesNotExist();
    }

    /**
     * Runs client processes at debug level, through every path that handles the token (accepted over HTTPS with a
     * pin, refused, a refused certificate), and checks their whole output never holds it.
     */
    @Test
    void theTokenNeverAppearsInTheLogEvenAtDebugLevel() throws Exception {
        String token = "tok-" + "5f0c1e2d9a8b7c6d4e3f2a1b0c9d8e7f";
        String wrongToken = "tok-" + "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
        SelfSignedCertificate.Written pair = SelfSignedCertificate.write(temp.resolve("tls"), List.of(), Instant.now());
        TlsIdentity tls = TlsIdentity.load(pair.certFile(), pair.keyFile());
        try (SyncServer server = SyncServer.start(ServerConfig.localhost(temp.resolve("server"), token).withTls(tls))) {
            Path folder = Files.createDirectories(temp.resolve("folder"));
            Files.writeString(folder.resolve("a.txt"), "some content");
            Path file = tokenFile(token + "\n", "rw-------");

            String accepted = client(0, server.baseUrl(), folder, "--token", token, "--server-fingerprint",
                    pair.fingerprint());
            String fromFile = client(0, server.baseUrl(), folder, "--token-file", file.toString(),
                    "--server-fingerprint", pair.fingerprint());
            String refused = client(1, server.baseUrl(), folder, "--token", wrongToken, "--server-fingerprint",
                    pair.fingerprint());
            String untrusted = client(1, server.baseUrl(), folder, "--token", token);

            assertThat(accepted).contains("uploaded a.txt").contains("DEBUG");
            assertThat(fromFile).contains("DEBUG");
            assertThat(refused).contains("refused the token");
            assertThat(untrusted).contains("--server-fingerprint " + pair.fingerprint());
            for (String output : List.of(accepted, fromFile, refused, untrusted)) {
                assertThat(output).doesNotContain(token).doesNotContain(wrongToken)
                        .doesNotContain("5f0c1e2d9a8b7c6d").doesNotContain("0a9b8c7d6e5f4a3b");
            }
        }
    }

    /** Runs one client pass as a process with every logger at debug, and returns its stdout and stderr together. */
    private String client(int expectedExit, String url, Path folder, String... tokenOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Dorg.slf4j.simpleLogger.log.okhttp3=debug",
                "-cp", System.getProperty("java.class.path"),
                ClientMain.class.getName(), "--server", url, "--folder", folder.toString(), "--device", "d", "--once"));
        command.addAll(List.of(tokenOptions));
        Path log = Files.createTempFile(temp, "client", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().remove("SYNC_TOKEN");
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }
}
