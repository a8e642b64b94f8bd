package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.Hashing;
import io.syncedfolder.server.ServerStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's transfer guarantees with real processes and a real server: content is stored once, known content
 * is never sent again, an edit travels as about one chunk, interrupted transfers resume, and a 1 GiB file
 * crosses with 128 MiB heaps at both ends.
 */
class TransferTest {
    private static final long SEED = 20261202L;
    private static final int MIB = 1024 * 1024;
    /**
     * Bytes a kill may waste: per request in flight (4) the chunk being received (at most 4 MiB), plus what sat
     * in socket buffers.
     */
    private static final long IN_FLIGHT_BYTES = 32L * MIB;

    @TempDir
    Path temp;

    @Test
    void sharedContentIsStoredOnceAndKnownContentIsNeverSentAgain() throws IOException {
        byte[] content = pseudoRandom(SEED, 12 * MIB);
        byte[] edited = withInsertion(content, 6 * MIB, "ten bytes!");
        try (TestServer server = new TestServer(temp.resolve("server"));
             TestClient alice = new TestClient("alice", temp.resolve("alice"), server);
             TestClient carol = new TestClient("carol", temp.resolve("carol"), server)) {
            alice.write("a.bin", content).write("copy-of-a.bin", content).write("edited-a.bin", edited);
            alice.sync();
            long received = server.stats().chunkBytesReceived();
            System.out.println("three files of 12 MiB sharing content sent " + received + " chunk bytes");
            assertThat(received).as("a.bin once, plus the chunks the insertion changed")
                    .isGreaterThanOrEqualTo(content.length).isLessThanOrEqualTo(content.length + 2L * 4 * MIB);

            carol.write("same-as-a.bin", content).write("other/edited.bin", edited);
            carol.sync();
            assertThat(server.stats().chunkBytesReceived()).as("carol's files are all known to the server")
                    .isEqualTo(received);
            assertThat(carol.path("same-as-a.bin")).hasBinaryContent(content);
        }
    }

    @Test
    void anEditInTheMiddleTravelsAsAFewBytesBothWays() throws IOException {
        byte[] content = pseudoRandom(SEED + 1, 32 * MIB);
        try (TestServer server = new TestServer(temp.resolve("server"));
             TestClient alice = new TestClient("alice", temp.resolve("alice"), server);
             TestClient bob = new TestClient("bob", temp.resolve("bob"), server)) {
            alice.write("video.bin", content).sync();
            bob.sync();
            byte[] edited = withInsertion(content, 16 * MIB + 12345, "0123456789");
            ServerStats start = server.stats();
            alice.write("video.bin", edited).sync();
            ServerStats uploaded = server.stats();
            bob.sync();
            ServerStats downloaded = server.stats();

            long chunkBytesUp = uploaded.chunkBytesReceived() - start.chunkBytesReceived();
            long deltaBytesUp = uploaded.deltaBytesReceived() - start.deltaBytesReceived();
            long chunkBytesDown = downloaded.chunkBytesSent() - uploaded.chunkBytesSent();
            long deltaBytesDown = downloaded.deltaBytesSent() - uploaded.deltaBytesSent();
            System.out.println("10 bytes inserted in 32 MiB: " + chunkBytesUp + " chunk bytes and " + deltaBytesUp
                    + " delta bytes up, " + chunkBytesDown + " chunk bytes and " + deltaBytesDown + " delta bytes down");
            assertThat(chunkBytesUp).as("no chunk travels whole to the server").isZero();
            assertThat(uploaded.deltaUploads() - start.deltaUploads()).isBetween(1L, 2L);
            assertThat(deltaBytesUp).as("a copy, the block around the edit, a copy per chunk").isPositive()
                    .isLessThan(2 * (9 + 5 + 2 * 1024 + 10 + 9));
            assertThat(chunkBytesDown).as("no chunk travels whole to bob").isZero();
            assertThat(downloaded.deltaFetches() - uploaded.deltaFetches()).isBetween(1L, 2L);
            assertThat(deltaBytesDown).as("a copy, the ten bytes, a copy per chunk").isPositive().isLessThan(200);
            assertThat(bob.path("video.bin")).hasBinaryContent(edited);
        }
    }

    @Test
    void theNewerVersionOfAConflictComesAsDeltasAgainstTheCopyMovedAside() throws IOException {
        byte[] content = pseudoRandom(SEED + 6, 32 * MIB);
        try (TestServer server = new TestServer(temp.resolve("server"));
             TestClient alice = new TestClient("alice", temp.resolve("alice"), server);
             TestClient bob = new TestClient("bob", temp.resolve("bob"), server)) {
            alice.write("video.bin", content).sync();
            bob.sync();
            byte[] bobs = withInsertion(content, 8 * MIB + 321, "bob's edit");
            bob.write("video.bin", bobs);
            Files.setLastModifiedTime(bob.path("video.bin"), FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
            byte[] alices = withInsertion(content, 24 * MIB + 123, "alice's edit");
            alice.write("video.bin", alices).sync();
            ServerStats before = server.stats();
            bob.sync(); // alice's change is the later one: it keeps the name, bob's is moved aside as a copy

            ServerStats after = server.stats();
            assertThat(bob.path("video.bin")).hasBinaryContent(alices);
            // Alice's edited chunk comes as a delta against the original in bob's copy. The original chunk at
            // bob's edit comes whole: a delta needs its base on the server, and bob's edit is not there yet.
            assertThat(after.deltaFetches() - before.deltaFetches()).isEqualTo(1);
            assertThat(after.chunkBytesSent() - before.chunkBytesSent()).as("one chunk, not the 32 MiB file")
                    .isPositive().isLessThan(4 * MIB);
        }
    }

    @Test
    void aFileRewrittenAsAWholeTravelsWholeNotAsDeltas() throws IOException {
        try (TestServer server = new TestServer(temp.resolve("server"));
             TestClient alice = new TestClient("alice", temp.resolve("alice"), server);
             TestClient bob = new TestClient("bob", temp.resolve("bob"), server)) {
            alice.write("video.bin", pseudoRandom(SEED + 4, 12 * MIB)).sync();
            bob.sync();
            byte[] other = pseudoRandom(SEED + 5, 12 * MIB);
            ServerStats start = server.stats();
            alice.write("video.bin", other).sync();
            ServerStats before = server.stats();
            bob.sync();
            ServerStats after = server.stats();

            assertThat(bob.path("video.bin")).hasBinaryContent(other);
            assertThat(before.deltaUploads()).isEqualTo(start.deltaUploads());
            assertThat(before.chunkBytesReceived() - start.chunkBytesReceived()).isEqualTo(other.length);
            assertThat(after.deltaFetches()).isEqualTo(before.deltaFetches());
            assertThat(after.chunkBytesSent() - before.chunkBytesSent()).isEqualTo(other.length);
        }
    }

    @Test
    void chunksWhoseLocalCopyChangedBeforeTheDownloadAreFetchedInstead() throws IOException {
        byte[] content = pseudoRandom(SEED + 2, 24 * MIB);
        try (TestServer server = new TestServer(temp.resolve("server"));
             TestClient alice = new TestClient("alice", temp.resolve("alice"), server);
             TestClient bob = new TestClient("bob", temp.resolve("bob"), server)) {
            alice.write("a-copy.bin", content).write("video.bin", content).sync();
            bob.sync();
            byte[] edited = withInsertion(content, 12 * MIB, "0123456789");
            alice.write("video.bin", edited).sync();
            long sentBefore = server.stats().chunkBytesSent();
            // Bob's planned download would copy the unchanged chunks from a-copy.bin (the first file holding
            // them), which changes after the plan: every chunk must then come from the server instead.
            bob.onceBeforeExecuting(() -> bob.write("a-copy.bin", pseudoRandom(SEED + 3, 24 * MIB)));
            bob.loop().runPass();
            long sentToBob = server.stats().chunkBytesSent() - sentBefore;

            assertThat(bob.path("video.bin")).hasBinaryContent(edited);
            assertThat(sentToBob).as("the whole file, fetched").isGreaterThanOrEqualTo(edited.length);
        }
    }

    @Test
    void anInterruptedUploadResumesWithWhatWasNotSent() throws Exception {
        int size = 256 * MIB;
        Path alice = temp.resolve("alice");
        Path big = writePseudoRandomFile(alice.resolve("big.bin"), SEED + 2, size);
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            long first = killWhenPast(JavaProcesses.client(server.url(), alice, "alice"),
                    () -> server.stats().chunkBytesReceived(), size / 4);
            JavaProcesses.syncOnce(server.url(), alice, "alice");
            long second = server.stats().chunkBytesReceived() - first;
            System.out.println("upload of 256 MiB: " + first + " bytes before the kill, " + second + " after");
            assertThat(second).as("the second run sends only what the first did not")
                    .isLessThanOrEqualTo(size - first + IN_FLIGHT_BYTES);
            try (TestClient bob = new TestClient("bob", temp.resolve("bob"), server)) {
                bob.sync();
                assertThat(sha256(bob.path("big.bin"))).isEqualTo(sha256(big));
            }
        }
    }

    @Test
    void anInterruptedDownloadResumesWithWhatWasNotReceived() throws Exception {
        int size = 256 * MIB;
        Path big = writePseudoRandomFile(temp.resolve("alice/big.bin"), SEED + 3, size);
        Path bob = temp.resolve("bob");
        try (TestServer server = new TestServer(temp.resolve("server"))) {
            try (TestClient alice = new TestClient("alice", temp.resolve("alice"), server)) {
                alice.sync();
            }
            long first = killWhenPast(JavaProcesses.client(server.url(), bob, "bob"),
                    () -> server.stats().chunkBytesSent(), size / 4);
            assertThat(bob.resolve("big.bin")).as("nothing partial under the real name").doesNotExist();
            JavaProcesses.syncOnce(server.url(), bob, "bob");
            long second = server.stats().chunkBytesSent() - first;
            System.out.println("download of 256 MiB: " + first + " bytes before the kill, " + second + " after");
            assertThat(second).as("the second run fetches only what the first did not receive")
                    .isLessThanOrEqualTo(size - first + IN_FLIGHT_BYTES);
            assertThat(sha256(bob.resolve("big.bin"))).isEqualTo(sha256(big));
            try (var leftovers = Files.list(bob.resolve(".sync/tmp"))) {
                assertThat(leftovers).as("the part file is gone once the download is done").isEmpty();
            }
        }
    }

    @Test
    void aGigabyteFileCrossesWithSmallHeapsAtBothEnds() throws Exception {
        long size = 1024L * MIB;
        Path alice = temp.resolve("alice");
        Path bob = temp.resolve("bob");
        Path original = writePseudoRandomFile(alice.resolve("huge.bin"), SEED + 4, size);
        try (JavaProcesses.ServerProcess server = JavaProcesses.server(temp.resolve("server"), "-Xmx128m")) {
            JavaProcesses.syncOnce(server.url(), alice, "alice", "-Xmx128m");
            JavaProcesses.syncOnce(server.url(), bob, "bob", "-Xmx128m");
        }
        assertThat(Files.size(bob.resolve("huge.bin"))).isEqualTo(size);
        assertThat(sha256(bob.resolve("huge.bin"))).isEqualTo(sha256(original));
    }

    /** Kills {@code client} once {@code bytes} passed {@code threshold}; returns the bytes counted by then. */
    private static long killWhenPast(Process client, LongSupplier bytes, long threshold) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (bytes.getAsLong() < threshold && client.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        client.destroyForcibly();
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long counted = bytes.getAsLong();
        assertThat(counted).as("the client was killed in the middle of the transfer")
                .isGreaterThanOrEqualTo(threshold).isLessThan(threshold * 4);
        return counted;
    }

    static byte[] pseudoRandom(long seed, int size) {
        ByteBuffer bytes = ByteBuffer.allocate(size);
        long state = seed;
        while (bytes.remaining() >= Long.BYTES) {
            state += 0x9E3779B97F4A7C15L;
            bytes.putLong(mix(state));
        }
        return bytes.array();
    }

    private static Path writePseudoRandomFile(Path file, long seed, long size) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0, block = 0; written < size; written += MIB, block++) {
                out.write(pseudoRandom(seed * 1_000_003 + block, (int) Math.min(MIB, size - written)));
            }
        }
        return file;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static byte[] withInsertion(byte[] content, int at, String inserted) {
        byte[] extra = inserted.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(content, content.length + extra.length);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(content, at, out, at + extra.length, content.length - at);
        return out;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = Hashing.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[MIB];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return Hashing.hex(digest.digest());
    }
}
