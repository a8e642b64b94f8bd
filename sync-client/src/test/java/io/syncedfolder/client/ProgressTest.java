package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.progress.TransferProgress;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a person sees of a pass: one summary line, and a progress bar only on a terminal for large transfers. */
class ProgressTest extends WorldTest {

    @Test
    void eachPassThatChangedSomethingEndsWithOneSummaryLine() throws IOException {
        TestClient alice = world.client("alice");
        TestClient bob = world.client("bob");
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(3).nextBytes(content);
        alice.write("video.bin", content).write("notes.txt", "hi");

        String upload = ClientLog.of(alice::sync);
        String download = ClientLog.of(bob::sync);
        String nothing = ClientLog.of(bob::sync);

        assertThat(upload.lines().filter(line -> line.contains("pass done in")))
                .singleElement().asString().matches(".*INFO pass done in \\d+\\.\\d s: 2 uploaded; 5\\.0 MB moved");
        assertThat(download).containsPattern("pass done in \\d+\\.\\d s: 2 downloaded; 5\\.0 MB moved");
        assertThat(nothing).doesNotContain("pass done");
    }

    @Test
    void aBarIsShownOnlyOnATerminalForTransfersOfAFewMegabytes() {
        try (TransferProgress quiet = TransferProgress.start(100L << 20, false);
             TransferProgress small = TransferProgress.start(TransferProgress.BAR_FROM_BYTES - 1, true);
             TransferProgress shown = TransferProgress.start(TransferProgress.BAR_FROM_BYTES, true)) {
            assertThat(quiet.showsBar()).isFalse();
            assertThat(small.showsBar()).isFalse();
            assertThat(shown.showsBar()).isTrue();
            shown.accept(1000);
            shown.accept(24);
            assertThat(shown.bytes()).isEqualTo(1024);
        }
    }
}
