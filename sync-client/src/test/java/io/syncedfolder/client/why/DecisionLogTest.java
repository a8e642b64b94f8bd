package io.syncedfolder.client.why;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.EntryKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision log's bound, its tolerance of a torn line, and when it writes at all. */
class DecisionLogTest {
    @TempDir
    Path stateDir;

    static Decision decision(long passAt, String path, Decision.Outcome outcome) {
        Decision.Input local = new Decision.Input(EntryKind.FILE, null, "ab".repeat(32), 3, 1_700_000_000_000L, false,
                null, false);
        return new Decision(passAt, 1, path, local, null, null, "upload", "new here", outcome, null);
    }

    static List<Decision> pass(long passAt, int count) {
        return IntStream.range(0, count).mapToObj(i -> decision(passAt, "f" + i, Decision.Outcome.DONE)).toList();
    }

    @Test
    void keepsTheNewestDecisionsOnceItHoldsTwiceTheBound() throws IOException {
        DecisionLog log = new DecisionLog(stateDir);
        log.record(1, pass(1, 6_000), Map.of());
        log.record(2, pass(2, 6_000), Map.of());
        log.record(3, pass(3, 6_000), Map.of());
        assertThat(DecisionLog.read(stateDir)).hasSize(18_000);

        log.record(4, pass(4, 6_000), Map.of()); // 24,000 > 20,000: compacted to the newest 10,000

        List<Decision> kept = DecisionLog.read(stateDir);
        assertThat(kept).hasSize(DecisionLog.KEEP);
        assertThat(kept.get(0).passAt()).isEqualTo(3);
        assertThat(kept.get(kept.size() - 1).passAt()).isEqualTo(4);
        assertThat(kept.stream().filter(d -> d.passAt() == 4)).hasSize(6_000);
    }

    @Test
    void aHugePassKeepsWhatDidNotGetDoneFirst() throws IOException {
        List<Decision> decisions = new ArrayList<>(pass(1, DecisionLog.KEEP + 500));
        decisions.add(decision(1, "failed.txt", Decision.Outcome.FAILED));

        new DecisionLog(stateDir).record(1, decisions, Map.of());

        List<Decision> kept = DecisionLog.read(stateDir);
        assertThat(kept).hasSize(DecisionLog.KEEP);
        assertThat(kept.get(0).path()).isEqualTo("failed.txt");
        assertThat(kept.get(1).path()).isEqualTo("f0");
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheNextPassStartsOnANewLine() throws IOException {
        new DecisionLog(stateDir).record(1, List.of(decision(1, "a.txt", Decision.Outcome.DONE)), Map.of());
        Files.writeString(stateDir.resolve(DecisionLog.FILE_NAME), "{\"passAt\":2,\"pa", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        new DecisionLog(stateDir).record(3, List.of(decision(3, "b.txt", Decision.Outcome.DONE)), Map.of());

        assertThat(DecisionLog.read(stateDir)).extracting(Decision::path).containsExactly("a.txt", "b.txt");
    }

    @Test
    void leftAlonePathsAreWrittenOnlyWhenTheyChange() throws IOException {
        DecisionLog log = new DecisionLog(stateDir);
        Path file = stateDir.resolve(DecisionLog.LEFT_ALONE_FILE_NAME);

        log.record(1, List.of(), Map.of());
        assertThat(file).doesNotExist();
        assertThat(stateDir.resolve(DecisionLog.FILE_NAME)).doesNotExist();

        log.record(2, List.of(), Map.of("link", "a symbolic link"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        log.record(3, List.of(), Map.of("link", "a symbolic link"));
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1_000_000_000_000L);

        // A client started again knows what it wrote, so it does not write it again either.
        new DecisionLog(stateDir).record(4, List.of(), Map.of("link", "a symbolic link"));
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1_000_000_000_000L);

        log.record(5, List.of(), Map.of("link", "a symbolic link", "busy.txt", "still being written"));
        DecisionLog.LeftAloneFile now = DecisionLog.readLeftAlone(stateDir).orElseThrow();
        assertThat(now.at()).isEqualTo(5);
        assertThat(now.paths()).containsExactly(new DecisionLog.LeftAlone("busy.txt", "still being written", 5),
                new DecisionLog.LeftAlone("link", "a symbolic link", 2));

        log.record(6, List.of(), Map.of());
        assertThat(file).doesNotExist();
    }
}
