package io.syncedfolder.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.Hashing;
import io.syncedfolder.server.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkOwnershipTest {
    private static final byte[] A = "a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "b".getBytes(StandardCharsets.UTF_8);
    private static final String SHA_A = Hashing.sha256Hex(A);
    private static final String SHA_B = Hashing.sha256Hex(B);

    @TempDir
    Path dir;

    private BlobStore blobs;

    @BeforeEach
    void store() throws Exception {
        blobs = BlobStore.open(dir.resolve("blobs"));
        blobs.put(SHA_A, new ByteArrayInputStream(A));
        blobs.put(SHA_B, new ByteArrayInputStream(B));
    }

    @Test
    void ownsWhatItsIndexUsesAndWhatItUploadedNothingElse() throws Exception {
        try (ChunkOwnership ownership = ChunkOwnership.open(dir, Set.of(SHA_A), blobs)) {
            assertThat(ownership.missing(List.of(SHA_A, SHA_B))).containsExactly(SHA_B);

            ownership.uploaded(List.of(SHA_B));

            assertThat(ownership.missing(List.of(SHA_A, SHA_B))).isEmpty();
        }
    }

    @Test
    void uploadsSurviveAReopenAndTheLogIsCompacted() throws Exception {
        try (ChunkOwnership ownership = ChunkOwnership.open(dir, Set.of(), blobs)) {
            ownership.uploaded(List.of(SHA_A, SHA_B));
        }
        // A crash in the middle of an append leaves a torn line; it is skipped.
        Files.writeString(dir.resolve(ChunkOwnership.FILE), "0123abc", StandardOpenOption.APPEND);

        try (ChunkOwnership reopened = ChunkOwnership.open(dir, Set.of(SHA_A), blobs)) {
            assertThat(reopened.missing(List.of(SHA_A, SHA_B))).isEmpty();
        }
        // SHA_A is referenced by the index now, so the log keeps only SHA_B.
        assertThat(Files.readString(dir.resolve(ChunkOwnership.FILE))).isEqualTo(SHA_B + "\n");
    }

    @Test
    void aChunkNoLongerStoredIsMissingEvenIfOwned() throws Exception {
        try (ChunkOwnership ownership = ChunkOwnership.open(dir, Set.of(SHA_A), blobs)) {
            blobs.deleteIfModifiedBefore(SHA_A, java.time.Instant.now().plusSeconds(60));

            assertThat(ownership.has(SHA_A)).isFalse();
            assertThat(ownership.missing(List.of(SHA_A))).containsExactly(SHA_A);
        }
    }
}
