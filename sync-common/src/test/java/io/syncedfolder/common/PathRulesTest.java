package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of SPEC §4 for paths, one row each. */
class PathRulesTest {
    static Stream<Arguments> badPaths() {
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("../x", "\"..\" segment"),
                Arguments.of("a/../b", "\"..\" segment"),
                Arguments.of("a/..", "\"..\" segment"),
                Arguments.of("./a", "\".\" segment"),
                Arguments.of("a/./b", "\".\" segment"),
                Arguments.of("a//b", "empty segment"),
                Arguments.of("a/", "empty segment"),
                Arguments.of("/abs", "absolute"),
                Arguments.of("a\\b", "backslash"),
                Arguments.of("a\u0000b", "NUL"),
                Arguments.of("a\u0001b", "control character"),
                Arguments.of("tab\there", "control character"),
                Arguments.of("new\nline", "control character"),
                Arguments.of("del\u007f", "control character"),
                Arguments.of("c1\u0085", "control character"),
                Arguments.of("x".repeat(256), "longer than 255 bytes"),
                Arguments.of("é".repeat(128), "longer than 255 bytes"),
                Arguments.of(("d".repeat(200) + "/").repeat(21) + "f", "longer than 4096 bytes"),
                Arguments.of("e\u0301", "NFC"),
                Arguments.of("lone\ud800", "not valid Unicode"),
                Arguments.of(".sync", "reserved"),
                Arguments.of(".sync/state.json", "reserved"),
                Arguments.of(".SYNC/state.json", "reserved"),
                Arguments.of(".Sync", "reserved"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badPaths")
    void refusesBadPathsWithAReasonThatSaysWhy(String path, String reason) {
        assertThat(PathRules.problem(path)).hasValueSatisfying(problem -> assertThat(problem).contains(reason));
        assertThatThrownBy(() -> PathRules.check(path)).isInstanceOf(BadPathException.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", ".hidden", "a/.sync", "docs/.sync/x", "..a", "a..", "Grüße/café ☕.txt",
            "日本語/ファイル.txt", "with space/and-dash_underscore", "CON", "trailing."})
    void acceptsOrdinaryNames(String path) {
        assertThat(PathRules.problem(path)).isEmpty();
    }

    @Test
    void refusesNullAsEmpty() {
        assertThat(PathRules.problem(null)).isPresent();
    }

    @Test
    void normalizeTurnsNfdIntoNfc() {
        assertThat(PathRules.normalize("cafe\u0301.txt")).isEqualTo("caf\u00e9.txt");
    }

    @Test
    void exactlyTheLimitsAreAllowed() {
        String segment = "s".repeat(255);
        String path = (segment + "/").repeat(15) + "x".repeat(255) + "/y";
        assertThat(path.length()).isEqualTo(4097);
        assertThat(PathRules.problem(path)).hasValueSatisfying(p -> assertThat(p).contains("4096"));
        String atLimit = path.substring(0, 4093) + "/yy";
        assertThat(atLimit.length()).isEqualTo(4096);
        assertThat(PathRules.problem(atLimit)).isEmpty();
    }

    @Test
    void resolveStaysInsideTheRoot(@TempDir Path root) {
        assertThat(PathRules.resolve(root, "a/b.txt")).isEqualTo(root.toAbsolutePath().resolve("a").resolve("b.txt"));
        assertThatThrownBy(() -> PathRules.resolve(root, "../escape")).isInstanceOf(BadPathException.class);
        assertThatThrownBy(() -> PathRules.resolve(root, "/etc/passwd")).isInstanceOf(BadPathException.class);
    }

    @Test
    void pathHelpersSplitOnSlashes() {
        assertThat(PathRules.parent("a/b/c")).isEqualTo("a/b");
        assertThat(PathRules.parent("c")).isEmpty();
        assertThat(PathRules.name("a/b/c")).isEqualTo("c");
        assertThat(PathRules.depth("a/b/c")).isEqualTo(3);
        assertThat(PathRules.isInside("a/b", "a")).isTrue();
        assertThat(PathRules.isInside("ab", "a")).isFalse();
        assertThat(PathRules.isInside("a", "a")).isFalse();
    }

    @Test
    void errorMessagesEscapeControlCharacters() {
        assertThatThrownBy(() -> PathRules.check("evil\u001b[31m"))
                .hasMessageContaining("\\u001b").hasMessageNotContaining("\u001b");
    }
}
