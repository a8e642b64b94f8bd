package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.SyncServer;
import io.syncedfolder.server.auth.UserStore;
import io.syncedfolder.common.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two users on one server with real clients: each has a folder of their own (issue 5), content they share is
 * stored once on the server yet each uploads it themselves, and a revoked token stops a client with exit code 1.
 */
class UsersScenarioTest {
    @TempDir
    Path temp;

    private CliRun once(String url, String token, Path folder, String device) {
        return CliRun.of("--server", url, "--token", token, "--folder", folder.toString(), "--device", device,
                "--once");
    }

    @Test
    void aliceAndBobSyncSeparateFoldersThroughOneServer() throws Exception {
        Path data = temp.resolve("server");
        UserStore users = new UserStore(data);
        String alice = users.add("alice", 1).token();
        String bob = users.add("bob", 2).token();
        Path aliceLaptop = Files.createDirectories(temp.resolve("alice-laptop"));
        Path aliceDesktop = Files.createDirectories(temp.resolve("alice-desktop"));
        Path bobLaptop = Files.createDirectories(temp.resolve("bob-laptop"));
        Files.writeString(aliceLaptop.resolve("diary.txt"), "alice's diary");
        Files.writeString(aliceLaptop.resolve("same.txt"), "shared words");
        Files.writeString(bobLaptop.resolve("same.txt"), "shared words");
        Files.writeString(bobLaptop.resolve("bob.txt"), "bob's notes");

        try (SyncServer server = SyncServer.start(new ServerConfig("127.0.0.1", 0, data, null))) {
            String url = server.baseUrl();
            assertThat(once(url, alice, aliceLaptop, "laptop").exitCode()).isZero();
            assertThat(once(url, bob, bobLaptop, "laptop").exitCode()).isZero();
            assertThat(once(url, alice, aliceDesktop, "desktop").exitCode()).isZero();

            assertThat(aliceDesktop.resolve("diary.txt")).hasContent("alice's diary");
            assertThat(aliceDesktop.resolve("same.txt")).hasContent("shared words");
            assertThat(aliceDesktop.resolve("bob.txt")).doesNotExist();
            assertThat(bobLaptop.resolve("diary.txt")).doesNotExist();
            // Bob had to upload the words Alice had stored already (two uploads), yet the store holds them once.
            assertThat(server.stats().chunkBytesReceived()).isEqualTo(
                    "alice's diary".length() + 2L * "shared words".length() + "bob's notes".length());
            String shared = Hashing.sha256Hex("shared words".getBytes(StandardCharsets.UTF_8));
            List<String> stored = new ArrayList<>();
            server.blobs().list(blob -> stored.add(blob.sha256()));
            assertThat(stored).containsOnlyOnce(shared);

            users.remove("bob");
            CliRun refused = once(url, bob, bobLaptop, "laptop");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).isNotEmpty();
        }
    }
}
