package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerMainTest {
    @TempDir
    Path tmp;

    /** Runs the command in-process; it must return (not serve) within a few seconds. */
    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> ServerMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args));
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }

    @Test
    void withoutTokenItExplainsHowToMakeOneAndExits2() throws Exception {
        Path log = tmp.resolve("stderr.txt");
        Process process = ServerProcess.launch(log, null, "--port", "0", "--data", tmp.resolve("d").toString());

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(Files.readString(log)).isEqualTo(ServerMain.NO_TOKEN + System.lineSeparator());
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    @Test
    void tokenFromTheEnvironmentIsUsedAndSigtermStopsCleanly() throws Exception {
        Path log = tmp.resolve("stderr.txt");
        Path data = tmp.resolve("d");
        Process process = ServerProcess.launch(log, "env-token", "--port", "0", "--data", data.toString());
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(line).as(() -> readQuietly(log)).matches("listening on http://127\\.0\\.0\\.1:\\d+");
        Http http = new Http(line.substring("listening on ".length()), "env-token");
        assertThat(http.get("/api/v1/changes").status()).isEqualTo(200);

        process.destroy();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("stopped serving");
        try (SyncServer again = SyncServer.start(ServerConfig.localhost(data, "t"))) {
            assertThat(again.port()).isPositive(); // the data directory lock was released
        }
    }

    @Test
    void aConfigFileSuppliesTheOptionsWithPathsFromItsFolder() throws Exception {
        Path config = tmp.resolve("etc/server.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "port: 0\ndata: ../from-config\ntoken: config-token\nkeep-versions: 5\n");
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        ServerProcess server = ServerProcess.start(tmp.resolve("stderr.txt"), "--config", config.toString());
        try {
            Http http = new Http(server.baseUrl(), "config-token");
            assertThat(http.get("/api/v1/changes").status()).isEqualTo(200);
            assertThat(tmp.resolve("from-config/namespaces")).isDirectory();
        } finally {
            server.close();
        }
    }

    @Test
    void aServerInAJvmOfItsOwnGivesItTheCompilerDirectives() throws Exception {
        Path log = tmp.resolve("stderr.txt");
        ServerProcess server = ServerProcess.start(log,
                List.of("-Dorg.slf4j.simpleLogger.log." + ServerMain.class.getName() + "=debug"),
                "--port", "0", "--token", "t", "--data", tmp.resolve("d").toString());
        try {
            // They are added beside the start-up, so the JVM's answer may come after the "listening on" line.
            String said = "";
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    !said.contains("compiler directives") && System.nanoTime() < deadline; Thread.sleep(50)) {
                said = Files.readString(log);
            }
            assertThat(said).contains("compiler directives added: the optimizing compiler is kept for hashing");
        } finally {
            server.close();
        }
    }

    @Test
    void aFlagBeatsTheConfigFileAndMistakesInItAreBadUsage() throws Exception {
        Path config = tmp.resolve("server.yaml");
        Files.writeString(config, "token: t\nkeep-versions: 5\n");

        Result flagWins = run("--config", config.toString(), "--keep-versions", "-1");
        Files.writeString(config, "token: t\nkeep-version: 5\n");
        Result typo = run("--config", config.toString());

        assertThat(flagWins.code()).isEqualTo(2);
        assertThat(flagWins.err()).contains("--keep-versions must be between 0 and 100000, not -1");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("cannot use the config file").contains("unknown option 'keep-version'");
    }

    @Test
    void blankTokenIsTreatedAsNone() {
        Result result = run("--token", "  ", "--data", tmp.resolve("d").toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("no access token");
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        Result version = run("--version");

        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--port", "--bind", "--data", "--token", "SYNC_TOKEN");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("sync-server ").doesNotContain("unknown").doesNotContain("${");
    }

    @ParameterizedTest
    @CsvSource(quoteCharacter = '"', value = {
            "--keep-versions, -1, \"--keep-versions must be between 0 and 100000, not -1\"",
            "--keep-versions, 100001, \"--keep-versions must be between 0 and 100000, not 100001\"",
            "--keep-days, -1, \"--keep-days must be between 0 and 36500, not -1\"",
            "--gc-grace-hours, 0, \"--gc-grace-hours must be between 1 and 87600, not 0\"",
            "--gc-interval-minutes, 0, \"--gc-interval-minutes must be between 1 and 525600, not 0\"",
            "--keep-days, ten, \"Invalid value for option '--keep-days': 'ten' is not an int\"",
            "--gc-grace-hours, 1.5, \"Invalid value for option '--gc-grace-hours': '1.5' is not an int\""})
    void badRetentionOrCollectionOptionIsBadUsage(String option, String value, String message) {
        Result result = run("--token", "t", "--port", "0", "--data", tmp.resolve("d").toString(), option, value);

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith(message);
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    @Test
    void helpListsTheRetentionAndCollectionOptions() {
        assertThat(run("--help").out()).contains("--keep-versions=N", "--keep-days=D", "--gc-grace-hours=H",
                "--gc-interval-minutes=M", "(default: 20)", "(default: 30)", "(default: 24)", "(default: 60)");
    }

    @Test
    void unknownOptionIsBadUsage() {
        Result result = run("--tokn", "x");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--tokn");
    }

    @Test
    void unusableDataDirectoryExits1WithTheReason() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        Result result = run("--token", "t", "--port", "0", "--data", file.resolve("data").toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).startsWith("sync-server: cannot use data directory").contains("not-a-dir");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void portInUseExits1WithTheReason() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result result = run("--token", "t", "--port", Integer.toString(taken.getLocalPort()),
                    "--data", tmp.resolve("d").toString());

            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).startsWith("sync-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use");
            assertThat(result.err().lines()).hasSize(1);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
