package io.syncedfolder.client.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncedfolder.common.EntryKind;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The map must read exactly like the TreeMap it stands in for, as loaded and after changes. */
class PathMapTest {
    private static BaseEntry entry(String path, long version) {
        return new BaseEntry(path, EntryKind.FILE, version, null, 0, 0, false, List.of(), 0);
    }

    private static final List<BaseEntry> SORTED = List.of(entry("a", 1), entry("a/b", 2), entry("a0", 3),
            entry("b", 4), entry("caf\u00e9", 5));

    private static TreeMap<String, BaseEntry> tree(List<BaseEntry> entries) {
        TreeMap<String, BaseEntry> tree = new TreeMap<>();
        entries.forEach(e -> tree.put(e.path(), e));
        return tree;
    }

    private static void assertReadsLike(SortedMap<String, BaseEntry> map, SortedMap<String, BaseEntry> expected) {
        assertThat(map).isEqualTo(expected);
        assertThat(map.hashCode()).isEqualTo(expected.hashCode());
        assertThat(map.size()).isEqualTo(expected.size());
        assertThat(map.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(map.values()).containsExactlyElementsOf(expected.values());
        assertThat(map.entrySet()).containsExactlyElementsOf(expected.entrySet());
        for (String path : List.of("", "a", "a/", "a/b", "a0", "b", "c", "caf\u00e9", "zz")) {
            assertThat(map.get(path)).as(path).isEqualTo(expected.get(path));
            assertThat(map.containsKey(path)).as(path).isEqualTo(expected.containsKey(path));
        }
        if (!expected.isEmpty()) {
            assertThat(map.firstKey()).isEqualTo(expected.firstKey());
            assertThat(map.lastKey()).isEqualTo(expected.lastKey());
        }
    }

    @Test
    void entriesInPathOrderReadLikeATreeMap() {
        assertReadsLike(new PathMap<>(SORTED, BaseEntry::path), tree(SORTED));
    }

    @Test
    void entriesOutOfOrderOrRepeatedReadLikeATreeMapWithTheLaterKept() {
        List<BaseEntry> mixed = List.of(entry("b", 1), entry("a", 2), entry("b", 3), entry("a/b", 4));
        assertReadsLike(new PathMap<>(mixed, BaseEntry::path), tree(mixed));
    }

    @Test
    void changesReadLikeATreeMapAndReachViewsTakenBefore() {
        PathMap<BaseEntry> map = new PathMap<>(SORTED, BaseEntry::path);
        TreeMap<String, BaseEntry> expected = tree(SORTED);
        Set<String> keys = map.keySet();
        Collection<BaseEntry> values = map.values();
        Set<Map.Entry<String, BaseEntry>> entries = map.entrySet();

        assertThat(map.remove("zz")).isNull();
        assertThat(map.put("a/c", entry("a/c", 6))).isNull();
        expected.put("a/c", entry("a/c", 6));
        assertThat(map.put("b", entry("b", 7))).isEqualTo(entry("b", 4));
        expected.put("b", entry("b", 7));
        assertThat(map.remove("a")).isEqualTo(entry("a", 1));
        expected.remove("a");

        assertReadsLike(map, expected);
        assertThat(keys).containsExactlyElementsOf(expected.keySet());
        assertThat(values).containsExactlyElementsOf(expected.values());
        assertThat(entries).containsExactlyElementsOf(expected.entrySet());
    }

    @Test
    void rangesAreThoseOfTheTree() {
        PathMap<BaseEntry> map = new PathMap<>(SORTED, BaseEntry::path);
        TreeMap<String, BaseEntry> expected = tree(SORTED);
        assertThat(map.subMap("a/", "a0")).isEqualTo(expected.subMap("a/", "a0"));
        assertThat(map.headMap("b")).isEqualTo(expected.headMap("b"));
        assertThat(map.tailMap("b")).isEqualTo(expected.tailMap("b"));
        map.put("b/c", entry("b/c", 8));
        assertThat(map.tailMap("b")).containsOnlyKeys("b", "b/c", "caf\u00e9");
    }

    @Test
    void clearedOrEmptyIsEmpty() {
        PathMap<BaseEntry> map = new PathMap<>(SORTED, BaseEntry::path);
        map.clear();
        assertReadsLike(map, new TreeMap<>());
        PathMap<BaseEntry> empty = new PathMap<>(List.of(), BaseEntry::path);
        assertReadsLike(empty, new TreeMap<>());
        assertThatThrownBy(empty::firstKey).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(empty::lastKey).isInstanceOf(NoSuchElementException.class);
    }
}
