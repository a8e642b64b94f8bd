package io.syncedfolder.client.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IgnoreRulesTest {
    @ParameterizedTest(name = "{0} ignored by default: {1}")
    @CsvSource({
        ".DS_Store, true", "photos/.DS_Store, true", "Thumbs.db, true", "~$report.docx, true",
        "docs/notes.txt.swp, true", ".~lock.report.odt#, true", "report.docx, false", "swp, false",
        "a.txt, false"})
    void defaults(String path, boolean ignored) {
        assertThat(IgnoreRules.defaults().isIgnored(path, false)).isEqualTo(ignored);
    }

    @Test
    void gitignoreStylePatterns() {
        IgnoreRules rules = IgnoreRules.parse(List.of(
                "# comment", "", "*.log", "!keep.log", "build/", "/top.txt", "docs/**/draft-*", "cache?/", "[ab].tmp"));

        assertThat(rules.isIgnored("app.log", false)).isTrue();
        assertThat(rules.isIgnored("deep/er/app.log", false)).isTrue();
        assertThat(rules.isIgnored("keep.log", false)).isFalse();
        assertThat(rules.isIgnored("build", true)).isTrue();
        assertThat(rules.isIgnored("build", false)).as("trailing slash matches folders only").isFalse();
        assertThat(rules.isIgnored("build/x/y.o", false)).as("inside an ignored folder").isTrue();
        assertThat(rules.isIgnored("top.txt", false)).isTrue();
        assertThat(rules.isIgnored("sub/top.txt", false)).as("anchored to the root").isFalse();
        assertThat(rules.isIgnored("docs/draft-1", false)).isTrue();
        assertThat(rules.isIgnored("docs/a/b/draft-2", false)).isTrue();
        assertThat(rules.isIgnored("other/draft-1", false)).isFalse();
        assertThat(rules.isIgnored("cache1", true)).isTrue();
        assertThat(rules.isIgnored("a.tmp", false)).isTrue();
        assertThat(rules.isIgnored("c.tmp", false)).isFalse();
    }
}
