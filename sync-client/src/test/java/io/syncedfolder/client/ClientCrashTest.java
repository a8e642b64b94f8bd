package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real client processes ({@code kill -9}) in the middle of uploading and downloading, again and again,
 * and checks that nothing half-done is ever visible under a real name and that the next run finishes the job.
 */
class ClientCrashTest {
    private static final long SEED = 4242L;

    @TempDir
    Path temp;

    @Test
    void killedClientsLeaveNoPartialFilesAndFinishOnTheNextRun() throws Exception {
        System.out.println("ClientCrashTest seed = " + SEED);
        Random random = new Random(SEED);
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            Path aliceFolder = temp.resolve("alice");
            Path bobFolder = temp.resolve("bob");
            byte[] big = new byte[48 * 1024 * 1024];
            random.nextBytes(big);
            Files.createDirectories(aliceFolder.resolve("many"));
            Files.write(aliceFolder.resolve("big.bin"), big);
            for (int i = 0; i < 300; i++) {
                Files.writeString(aliceFolder.resolve("many/file-" + i + ".txt"), "small file " + i + " " + random.nextLong());
            }
            Map<String, String> original = TestClient.treeOf(aliceFolder);

            for (int round = 0; round < 3; round++) {
                killDuringOncePass(server, aliceFolder, "alice", 600 + random.nextInt(1500));
                assertThat(TestClient.treeOf(aliceFolder)).as("alice's folder after kill %d", round).isEqualTo(original);
            }
            try (TestClient alice = new TestClient("alice", aliceFolder, server)) {
                alice.sync();
            }

            for (int round = 0; round < 3; round++) {
                killDuringOncePass(server, bobFolder, "bob", 600 + random.nextInt(1500));
                for (Map.Entry<String, String> file : TestClient.treeOf(bobFolder).entrySet()) {
                    assertThat(file.getValue()).as("%s in bob's folder after kill %d is complete", file.getKey(), round)
                            .isEqualTo(original.get(file.getKey()));
                }
            }
            try (TestClient bob = new TestClient("bob", bobFolder, server)) {
                bob.sync();
                assertThat(bob.tree()).isEqualTo(original);
            }
        }
    }

    private static void killDuringOncePass(TestServer server, Path folder, String device, long afterMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ClientMain.class.getName(), "--server", server.url(), "--token", TestServer.TOKEN,
                "--folder", folder.toString(), "--device", device, "--once"));
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        if (process.waitFor(afterMillis, TimeUnit.MILLISECONDS)) {
            System.out.println(device + "'s client finished before the kill at " + afterMillis + " ms");
        } else {
            process.destroyForcibly(); // SIGKILL: no shutdown hook runs
            System.out.println(device + "'s client killed after " + afterMillis + " ms");
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

}
