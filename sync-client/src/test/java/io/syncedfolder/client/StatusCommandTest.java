package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.status.FolderStatus;
import io.syncedfolder.common.Json;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync-client status}, run while the clients hold their folders (as a running client would). */
class StatusCommandTest {
    @TempDir
    Path temp;

    TestServer server;
    TestClient alice;
    TestClient bob;


    @BeforeEach
    void start() throws IOException {
        server = new TestServer(temp.resolve("server"));
        alice = new TestClient("alice", temp.resolve("alice"), server);
        bob = new TestClient("bob", temp.resolve("bob"), server);
    }

    @AfterEach
    void stop() throws IOException {
        alice.close();
        bob.close();
        server.close();
    }

    CliRun status(TestClient client, String... extra) {
        String[] rest = new String[extra.length + 1];
        rest[0] = "--device=" + client.name;
        System.arraycopy(extra, 0, rest, 1, extra.length);
        return CliRun.on(client, "status", rest);
    }

    @Test
    void inSyncFolderSaysSoWithTheServerAndLastSyncTime() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();

        CliRun run = status(alice, "--server", server.url(), "--token", TestServer.TOKEN);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("status:     in sync", "server:     " + server.url() + " (asked just now)",
                "last sync:  20").doesNotContain("pending");
    }

    @Test
    void pendingUploadsAndDownloadsAreCounted() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();
        bob.sync();
        alice.write("new-here.txt", "x").write("a.txt", "changed here");
        bob.write("from-bob.txt", "b");
        bob.sync();

        CliRun run = status(alice, "--server", server.url(), "--token", TestServer.TOKEN);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("not in sync", "2 to upload", "1 to download");
    }

    @Test
    void withoutATokenItReportsFromTheSavedStateOnly() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();

        CliRun run = status(alice);

        assertThat(run.out()).contains("(not asked)", "no token given");
    }

    @Test
    void jsonOutputForScripts() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();
        alice.write("b.txt", "b");

        CliRun run = status(alice, "--server", server.url(), "--token", TestServer.TOKEN, "--json");

        FolderStatus status = Json.mapper().readValue(run.out(), FolderStatus.class);
        assertThat(status.inSync()).isFalse();
        assertThat(status.toUpload()).isEqualTo(1);
        assertThat(status.device()).isEqualTo("alice");
        assertThat(status.lastSyncMillis()).isPositive();
    }

    @Test
    void aFolderNeverSyncedIsReportedAsSuch() {
        CliRun run = CliRun.of("status", "--folder", temp.resolve("nowhere").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("has never been synced");
    }
}
