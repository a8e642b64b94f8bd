package io.syncedfolder.common.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.PackReader;
import io.syncedfolder.common.protocol.PackWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pack reader against arbitrary bytes: it hands out records no larger than its limit and otherwise fails with
 * an {@link IOException}, never another exception and never by allocating what a record header claims.
 */
class PackReaderFuzzTest {
    private static final long LIMIT = 1024;

    /** The fuzz test's oracle accepts any IOException; this shows a well-formed pack is still read whole. */
    @Test
    void aWellFormedPackIsReadWhole() throws IOException {
        byte[] first = "first chunk".getBytes(StandardCharsets.US_ASCII);
        byte[] second = new byte[0];
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        PackWriter writer = new PackWriter(pack);
        for (byte[] content : List.of(first, second)) {
            writer.write(new ChunkRef(Hashing.sha256Hex(content), content.length), new ByteArrayInputStream(content));
        }
        malformedPacksFailWithAnIoException(pack.toByteArray()); // asserts every record and the whole length
        PackReader reader = new PackReader(new ByteArrayInputStream(pack.toByteArray()), LIMIT);
        assertThat(reader.next()).contains(new ChunkRef(Hashing.sha256Hex(first), first.length));
        assertThat(reader.content().readAllBytes()).isEqualTo(first);
        assertThat(reader.next()).contains(new ChunkRef(Hashing.sha256Hex(second), 0));
        assertThat(reader.next()).isEmpty();
    }

    @FuzzTest(maxDuration = "30s")
    void malformedPacksFailWithAnIoException(byte[] pack) {
        PackReader reader = new PackReader(new ByteArrayInputStream(pack), LIMIT);
        long consumed = 0;
        try {
            for (Optional<ChunkRef> record = reader.next(); record.isPresent(); record = reader.next()) {
                ChunkRef chunk = record.get();
                assertThat(Hashing.isSha256Hex(chunk.sha256())).isTrue();
                assertThat(chunk.size()).isBetween(0L, LIMIT);
                byte[] content = reader.content().readAllBytes();
                assertThat(content).hasSize((int) chunk.size());
                consumed += 72 + content.length;
            }
            assertThat(consumed).as("a pack read to its end was read whole").isEqualTo(pack.length);
        } catch (IOException expected) {
            // A malformed or cut-short pack: refused, which is all a reader may do with it.
        }
    }
}
