package io.syncedfolder.common.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.PackReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * The pack reader against arbitrary bytes: it hands out records no larger than its limit and otherwise fails with
 * an {@link IOException}, never another exception and never by allocating what a record header claims.
 */
class PackReaderFuzzTest {
    private static final long LIMIT = 1024;

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
