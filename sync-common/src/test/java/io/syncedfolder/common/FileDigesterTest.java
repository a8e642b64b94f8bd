package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigesterTest {
    @Test
    void knownVectors() throws IOException {
        FileDigest abc = FileDigester.digest(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
        assertThat(abc.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(abc.size()).isEqualTo(3);
        assertThat(abc.chunks()).containsExactly(new ChunkRef(abc.sha256(), 3));
    }

    @Test
    void emptyContentHasNoChunks() throws IOException {
        FileDigest empty = FileDigester.digest(new ByteArrayInputStream(new byte[0]));
        assertThat(empty.sha256()).isEqualTo(Hashing.EMPTY_SHA256)
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(empty.chunks()).isEmpty();
    }

    @Test
    void fileLargerThanTheBufferIsHashedWhole(@TempDir Path dir) throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        Path file = dir.resolve("big");
        Files.write(file, data);

        FileDigest digest = FileDigester.digest(file);

        assertThat(digest.sha256()).isEqualTo(Hashing.sha256Hex(data));
        assertThat(digest.size()).isEqualTo(data.length);
        assertThat(digest.chunks().stream().mapToLong(ChunkRef::size).sum()).isEqualTo(data.length);
    }

    @Test
    void recognisesHashFormat() {
        assertThat(Hashing.isSha256Hex(Hashing.EMPTY_SHA256)).isTrue();
        assertThat(Hashing.isSha256Hex(Hashing.EMPTY_SHA256.toUpperCase())).isFalse();
        assertThat(Hashing.isSha256Hex("../../etc/passwd")).isFalse();
        assertThat(Hashing.isSha256Hex(null)).isFalse();
    }
}
