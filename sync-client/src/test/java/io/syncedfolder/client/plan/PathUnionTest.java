package io.syncedfolder.client.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PathUnionTest {
    @Test
    void everyPathOfEverySourceOnceInPathOrder() {
        TreeMap<String, Integer> sorted = new TreeMap<>(Map.of("a/b", 1, "a.txt", 2, "é", 3, "z/y", 4));
        Map<String, Integer> unsorted = new HashMap<>(Map.of("a0", 1, "a/b", 2, "b", 3, "Z", 4));
        Set<String> loose = Set.of("a.txt", "a", "😀", "ü/x");
        TreeSet<String> expected = new TreeSet<>(sorted.keySet());
        expected.addAll(unsorted.keySet());
        expected.addAll(loose);

        List<String> union = new PathUnion().add(sorted).add(loose).add(Map.of()).add(unsorted).add(sorted).toList();

        assertThat(union).containsExactlyElementsOf(expected);
    }

    @Test
    void equalPathsThatAreDifferentStringsCountOnce() {
        String path = "dir/file.txt";
        TreeMap<String, Integer> one = new TreeMap<>(Map.of(path, 1));
        TreeMap<String, Integer> other = new TreeMap<>(Map.of(new String(path.toCharArray()), 2));

        assertThat(new PathUnion().add(one).add(other).toList()).containsExactly(path);
    }

    @Test
    void nothingAddedIsNothing() {
        assertThat(new PathUnion().toList()).isEmpty();
        assertThat(new PathUnion().add(Set.of()).add(Map.of()).toList()).isEmpty();
    }
}
