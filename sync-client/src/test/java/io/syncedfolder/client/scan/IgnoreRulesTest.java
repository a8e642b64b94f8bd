package io.syncedfolder.client.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
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

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource({
        "report-?-final.txt, report-1-final.txt, true", "report-?-final.txt, report-12-final.txt, false",
        "report-?-final.txt, report-1-final.txt.bak, false", "data[0-9]*.csv, data1x.csv, true",
        "data[0-9]*.csv, datax.csv, false", "data[0-9]*.csv, data1.csv.old, false", "\\*star*, *starry, true",
        "\\*star*, starry, false", "a*b\\?, axb?, true", "a*b\\?, axb, false", "[!x]y]*, ay]z, true",
        "[!x]y]*, xy]z, false"})
    void globsWithAWildcardInsideMatchWholeNames(String glob, String name, boolean ignored) {
        assertThat(IgnoreRules.parse(List.of(glob)).isIgnored("dir/" + name, false)).isEqualTo(ignored);
    }

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource({
        "build, a/build, true", "build, a/rebuild, false", "build, build/a, true", "build, a/build.txt, false",
        "*.log, a/b.log, true", "*.log, a.log/b, true", "*.log, a/.log, true", "*.log, ab/log, false",
        "tmp*, a/tmpfile, true", "tmp*, atmp/file, false", "tmp*, a/tm, false",
        "[ab].tmp, x/a.tmp, true", "[ab].tmp, xa.tmp/c, false", "[ab].tmp, x/c.tmp, false",
        "a*b.txt, a/ab.txt, true", "a*b.txt, xa/b.txt, false", "a*b.txt, a/b.txt, false"})
    void aNameRuleMatchesTheLastNameOfAPathAndNothingAroundIt(String glob, String path, boolean ignored) {
        IgnoreRules rules = IgnoreRules.parse(List.of(glob));
        SortedMap<String, Boolean> entries = new TreeMap<>(); // path to "is a folder"
        for (String parent = path; parent.contains("/"); ) {
            parent = parent.substring(0, parent.lastIndexOf('/'));
            entries.put(parent, true);
        }
        entries.put(path, false);

        assertThat(rules.isIgnored(path, false)).isEqualTo(ignored);
        assertThat(rules.notIgnored(entries, folder -> folder).containsKey(path)).isEqualTo(!ignored);
    }

    @Test
    void notIgnoredKeepsExactlyWhatIsIgnoredAlonePathByPathWouldKeep() {
        IgnoreRules rules = IgnoreRules.parse(List.of("build/", "*.log", "!keep.log"));
        SortedMap<String, Boolean> entries = new TreeMap<>(); // path to "is a folder"
        for (String folder : List.of("a", "a/build", "a/build/y", "a/c", "build", "z")) {
            entries.put(folder, true);
        }
        for (String file : List.of("a/b.txt", "a/build/x.txt", "a/build/y/z.txt", "a/build.txt", "a/c/d.log",
                "a/c/keep.log", "a/c/e.txt", "a/d.log", "b.txt", "build/x", "z/build", "z/build.log")) {
            entries.put(file, false);
        }

        SortedMap<String, Boolean> kept = rules.notIgnored(entries, folder -> folder);

        assertThat(kept.keySet()).containsExactly(
                "a", "a/b.txt", "a/build.txt", "a/c", "a/c/e.txt", "a/c/keep.log", "b.txt", "z", "z/build");
        assertThat(kept.keySet()).allSatisfy(path -> assertThat(rules.isIgnored(path, entries.get(path))).isFalse());
    }

    @Test
    void notIgnoredReturnsTheEntriesThemselvesWhenNothingIsIgnored() {
        SortedMap<String, Boolean> entries = new TreeMap<>(Map.of("a", true, "a/b.txt", false));

        assertThat(IgnoreRules.defaults().notIgnored(entries, folder -> folder)).isEqualTo(entries);
    }

    /**
     * Most names are kept without a test of each rule, by their first and last characters alone. Random globs
     * and names check that this decides as the rules one by one do: a rule set with an extra anchored rule, which
     * matches none of the names, has every name tested against every rule.
     */
    @Test
    void namesKeptByTheirEndsAloneAreKeptByEveryRuleToo() {
        long seed = 20261203L;
        System.out.println("IgnoreRulesTest random globs, seed " + seed);
        Random random = new Random(seed);
        String globChars = "ab.~#*?[]!\\\u00e9";
        String nameChars = "ab.~#*?[]!\u00e9";
        for (int set = 0; set < 2_000; set++) {
            List<String> lines = new ArrayList<>();
            for (int rule = 1 + random.nextInt(3); rule > 0; rule--) {
                lines.add((random.nextInt(4) == 0 ? "!" : "") + text(random, globChars, 1 + random.nextInt(5)));
            }
            IgnoreRules screened = IgnoreRules.parse(lines);
            List<String> unscreened = new ArrayList<>(lines);
            unscreened.add("/no/such/path");
            IgnoreRules everyRule = IgnoreRules.parse(unscreened);
            for (int n = 0; n < 30; n++) {
                String path = "dir/" + text(random, nameChars, 1 + random.nextInt(5));
                boolean directory = random.nextBoolean();
                assertThat(screened.isIgnored(path, directory))
                        .as("seed %d, rules %s, %s", seed, lines, path)
                        .isEqualTo(everyRule.isIgnored(path, directory));
            }
        }
    }

    private static String text(Random random, String chars, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(random.nextInt(chars.length())));
        }
        return text.toString();
    }
}
