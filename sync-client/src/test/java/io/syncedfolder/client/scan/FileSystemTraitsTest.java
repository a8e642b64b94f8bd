package io.syncedfolder.client.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSystemTraitsTest {
    @TempDir
    Path dir;

    @Test
    void theProbeSeesThatThisLinuxDiskTellsCaseApartAndLeavesNothingBehind() throws IOException {
        FileSystemTraits traits = FileSystemTraits.probe(dir);
        assertThat(traits.caseInsensitive()).isFalse();
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aCaseInsensitiveDiskFilesNamesUnderOneKey() {
        FileSystemTraits folding = new FileSystemTraits(true, false);
        assertThat(folding.key("Docs/ReadMe.TXT")).isEqualTo(folding.key("docs/readme.txt"));
        assertThat(folding.key("STRASSE")).isEqualTo(folding.key("strasse"));
        assertThat(FileSystemTraits.EXACT.key("Docs")).isNotEqualTo(FileSystemTraits.EXACT.key("docs"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CON", "con.txt", "Lpt1", "NUL.tar.gz", "a:b", "what?", "x|y", "q\"quote", "<a>", "dot.",
        "space "})
    void windowsRefuses(String name) {
        assertThat(FileSystemTraits.windowsProblem(name)).isPresent();
        assertThat(new FileSystemTraits(true, true).unsupported("ok/" + name + "/deeper")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONSOLE", "report.txt", ".hidden", "a b", "café", "COM10", "x.con"})
    void windowsAccepts(String name) {
        assertThat(FileSystemTraits.windowsProblem(name)).isEmpty();
    }

    @Test
    void namesAreOnlyRefusedWhereWindowsRulesApply() {
        assertThat(FileSystemTraits.EXACT.unsupported("CON/a:b")).isEmpty();
    }
}
