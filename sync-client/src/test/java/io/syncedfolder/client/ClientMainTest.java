package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of SPEC §2: exit codes 0 / 1 / 2 with one readable line on stderr. */
class ClientMainTest {
    @TempDir
    Path temp;

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void oncePassAgainstARealServerExitsZeroWhenInSync() throws IOException {
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            Files.createDirectories(temp.resolve("folder"));
            Files.writeString(temp.resolve("folder/a.txt"), "hello");

            CliRun run = run("--server", server.url(), "--token", TestServer.TOKEN, "--folder", temp.resolve("folder").toString(),
                    "--device", "cli", "--once");

            assertThat(run.err()).isEmpty();
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void aSyncedFolderThatVanishedIsNotRecreatedUnlessAsked() throws IOException {
        // Surefire points XDG_STATE_HOME into target/, so this list is the test's own.
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            Path folder = temp.resolve("on-a-drive");
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("a.txt"), "hello");
            String[] once = {"--server", server.url(), "--token", TestServer.TOKEN, "--folder", folder.toString(), "--once"};
            assertThat(run(once).exitCode()).isZero();
            TestClient.deleteTree(folder);

            CliRun gone = run(once);

            assertThat(gone.exitCode()).isEqualTo(1);
            assertThat(gone.err()).contains("was synced before but is missing now").contains("--recreate-folder")
                    .hasLineCount(1);
            assertThat(folder).doesNotExist();
            String[] recreate = {"--server", server.url(), "--token", TestServer.TOKEN, "--folder", folder.toString(),
                "--once", "--recreate-folder"};
            assertThat(run(recreate).exitCode()).isZero();
            assertThat(folder.resolve("a.txt")).hasContent("hello");
        }
    }

    @Test
    void aConfigFileSuppliesTheOptionsAndAFlagBeatsIt() throws IOException {
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            Path config = temp.resolve("conf/client.yaml");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "server: " + server.url() + "\ntoken: " + TestServer.TOKEN
                    + "\nfolder: ../from-config\ndevice: configured\n");
            Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

            CliRun run = run("--config", config.toString(), "--once");

            assertThat(run.err()).isEmpty();
            assertThat(run.exitCode()).isZero();
            assertThat(temp.resolve("from-config/.sync")).isDirectory();
            CliRun flagWins = run("--config", config.toString(), "--once", "--token", "wrong");
            assertThat(flagWins.exitCode()).isEqualTo(1);
            assertThat(flagWins.err()).contains("refused the token");
        }
    }

    @Test
    void aBadConfigFileIsBadUsage() throws IOException {
        Path config = temp.resolve("client.yaml");
        Files.writeString(config, "folder: a\nfoldr: b\n");
        CliRun run = run("--config", config.toString(), "--once");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot use the config file").contains("unknown option 'foldr'").hasLineCount(1);

        Files.writeString(config, "token: secret\n");
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("--config", config.toString(), "status").err()).contains("holds the token and others may read it");
    }

    @Test
    void refusedTokenExitsOneWithAReason() throws IOException {
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            CliRun run = run("--server", server.url(), "--token", "wrong", "--folder", temp.resolve("f").toString(), "--once");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("refused the token").hasLineCount(1);
        }
    }

    @Test
    void unreachableServerExitsOneWithAReason() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliRun run = run("--server", "http://127.0.0.1:" + closedPort, "--token", "t", "--folder", temp.resolve("f").toString(), "--once");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach the server").hasLineCount(1);
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(run("--token", "t", "--once").exitCode()).isEqualTo(2);
        assertThat(run("--token", "t", "--once").err()).contains("--server");
        assertThat(run("--server", "ftp://x", "--token", "t").exitCode()).isEqualTo(2);
        assertThat(run("--server", "http://x", "--token", "t", "--interval", "0").exitCode()).isEqualTo(2);
        assertThat(run("--no-such-option").exitCode()).isEqualTo(2);
        assertThat(run("--server", "http://x", "--token", "t", "--max-delete-percent", "101").err())
                .contains("--max-delete-percent must be between 0 and 100");
        assertThat(run("--server", "http://x", "--token", "t", "--max-conflict-copies", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void aFileGivenAsFolderIsBadUsage() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "x");
        CliRun run = run("--server", "http://127.0.0.1:1", "--token", "t", "--folder", file.toString(), "--once");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is a file, not a folder");
    }

    @Test
    void helpExplainsTheOptionsAndExitCodes() {
        StringWriter out = new StringWriter();
        int code = new picocli.CommandLine(new ClientMain()).setOut(new PrintWriter(out, true)).execute("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--server", "--token", "--folder", "--device", "--once", "--interval",
                "SYNC_TOKEN", "Exit codes");
    }

    @Test
    void underAnAsciiOnlyLocaleItStopsWithOneSentenceSayingWhatToSet() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ClientMain.class.getName(), "--server", "http://127.0.0.1:1", "--token", "t",
                "--folder", temp.resolve("f").toString(), "--once"));
        builder.environment().remove("LANG");
        builder.environment().remove("LC_CTYPE");
        builder.environment().put("LC_ALL", "C");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err).contains("LC_ALL=C.UTF-8").hasLineCount(1);
    }
}
