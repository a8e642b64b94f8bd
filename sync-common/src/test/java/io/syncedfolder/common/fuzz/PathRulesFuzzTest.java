package io.syncedfolder.common.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.syncedfolder.common.BadPathException;
import io.syncedfolder.common.PathRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;

/**
 * The path rules against arbitrary strings: they either refuse a path with {@link BadPathException} or accept one
 * that is NFC, relative, free of {@code .}/{@code ..} and empty names, within the length limits, and that resolves
 * strictly inside the folder. Replays the kept corpus in every build; fuzzes for 30 s with {@code JAZZER_FUZZ=1}.
 */
class PathRulesFuzzTest {
    private static final Path ROOT = Path.of("/srv/sync/folder");

    @FuzzTest(maxDuration = "30s")
    void acceptedPathsStayInsideTheFolder(FuzzedDataProvider data) {
        String given = data.consumeRemainingAsString();
        String path;
        try {
            path = PathRules.normalize(given);
        } catch (BadPathException refused) {
            assertThat(PathRules.isValid(given)).isFalse();
            return;
        }
        assertThat(PathRules.isValid(path)).as("normalize returns a valid path").isTrue();
        assertThat(PathRules.normalize(path)).as("normalize is idempotent").isEqualTo(path);
        assertThat(Normalizer.isNormalized(path, Normalizer.Form.NFC)).isTrue();
        assertThat(path).doesNotStartWith("/").doesNotContain("\\").doesNotContain("\0");
        assertThat(path.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PathRules.MAX_PATH_BYTES);
        for (String segment : path.split("/", -1)) {
            assertThat(segment).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..");
            assertThat(segment.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PathRules.MAX_SEGMENT_BYTES);
        }
        Path resolved = PathRules.resolve(ROOT, path);
        // Compared as plain paths: AssertJ's Path#startsWith would look the (nonexistent) files up on disk.
        assertThat(resolved.startsWith(ROOT) && !resolved.equals(ROOT)).as("%s inside %s", resolved, ROOT).isTrue();
    }
}
