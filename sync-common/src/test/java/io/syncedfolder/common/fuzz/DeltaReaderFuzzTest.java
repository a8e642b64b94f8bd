package io.syncedfolder.common.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.syncedfolder.common.protocol.DeltaReader;
import io.syncedfolder.common.protocol.DeltaWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The delta reader against arbitrary bytes, as a hostile server could send them: it rebuilds a chunk of exactly
 * the size asked for or fails with an {@link IOException}, never another exception.
 */
class DeltaReaderFuzzTest {
    private static final byte[] BASE = "the base chunk, which the client holds already".getBytes(StandardCharsets.UTF_8);
    private static final int SIZE = 64;

    /** The fuzz test's oracle accepts any IOException; this shows a well-formed delta still rebuilds its chunk. */
    @Test
    void aWellFormedDeltaRebuildsItsChunk() throws IOException {
        byte[] chunk = "the base chunk, with an edit, which the client holds already!!!!".getBytes(StandardCharsets.UTF_8);
        assertThat(chunk).hasSize(SIZE);
        ByteArrayOutputStream delta = new ByteArrayOutputStream();
        DeltaWriter.write(BASE, chunk, delta);
        malformedDeltasFailWithAnIoException(delta.toByteArray());
        assertThat(DeltaReader.rebuild(BASE, new ByteArrayInputStream(delta.toByteArray()), SIZE)).isEqualTo(chunk);
    }

    @FuzzTest(maxDuration = "20s")
    void malformedDeltasFailWithAnIoException(byte[] delta) {
        try {
            assertThat(DeltaReader.rebuild(BASE, new ByteArrayInputStream(delta), SIZE)).hasSize(SIZE);
        } catch (IOException expected) {
            // A malformed delta: refused, which is all a reader may do with it.
        }
    }
}
