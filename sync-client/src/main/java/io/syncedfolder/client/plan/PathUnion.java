package io.syncedfolder.client.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Gathers the paths of several collections into one sorted list, each path once. Collections already in path
 * order (the usual inputs of a plan) are merged as they are, not sorted again; the scan, the base and the
 * remote index of an unchanged folder mostly hold the very same path strings, which compare at once.
 */
final class PathUnion {
    private final List<Iterator<String>> sources = new ArrayList<>();
    private int expected;

    /** Adds the keys of {@code map}. */
    PathUnion add(Map<String, ?> map) {
        expected += map.size();
        sources.add(map instanceof SortedMap<String, ?> sorted && sorted.comparator() == null
                ? sorted.keySet().iterator() : new TreeSet<>(map.keySet()).iterator());
        return this;
    }

    /** Adds {@code paths}, in any order. */
    PathUnion add(Collection<String> paths) {
        expected += paths.size();
        sources.add(new TreeSet<>(paths).iterator());
        return this;
    }

    /** Returns every path added, in path order, each once. */
    List<String> toList() {
        List<String> all = new ArrayList<>(expected);
        String[] heads = new String[sources.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = next(sources.get(i));
        }
        while (true) {
            String least = null;
            for (String head : heads) {
                if (head != null && (least == null || head != least && head.compareTo(least) < 0)) {
                    least = head;
                }
            }
            if (least == null) {
                return all;
            }
            all.add(least);
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (heads[i] == least || heads[i].equals(least))) {
                    heads[i] = next(sources.get(i));
                }
            }
        }
    }

    private static String next(Iterator<String> source) {
        return source.hasNext() ? source.next() : null;
    }
}
