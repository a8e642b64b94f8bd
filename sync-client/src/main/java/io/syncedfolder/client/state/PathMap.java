package io.syncedfolder.client.state;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The entries of the state by path: a sorted array of the entries as loaded until the first change, a
 * {@link TreeMap} from then on. A pass that changes nothing (the usual one) then holds a large folder's state
 * without a tree node per entry, a tenth of the memory of the map itself, and loads it without sorting.
 *
 * <p>Every view ({@link #entrySet()}, {@link #keySet()}, {@link #values()}) reads the map as it is at the
 * time, so a view taken before a change sees the change; {@link #subMap}, {@link #headMap} and
 * {@link #tailMap} turn the map into its tree form first and return the tree's views.
 *
 * @param <V> the entry type, which knows its own path
 */
final class PathMap<V> extends AbstractMap<String, V> implements SortedMap<String, V> {
    private final Function<V, String> pathOf;
    /** The entries as loaded, in strictly increasing path order; null from the first change. */
    private Object[] loaded;
    /** The entries from the first change on; null until then. */
    private TreeMap<String, V> changed;

    /** An empty map. */
    PathMap(Function<V, String> pathOf) {
        this.pathOf = pathOf;
        this.changed = new TreeMap<>();
    }

    /** A map of {@code entries}, each under its path; of two entries with one path, the later is kept. */
    PathMap(List<V> entries, Function<V, String> pathOf) {
        this.pathOf = pathOf;
        Object[] array = entries.toArray();
        if (strictlyIncreasing(array)) {
            this.loaded = array;
        } else {
            this.changed = new TreeMap<>();
            entries.forEach(e -> changed.put(pathOf.apply(e), e));
        }
    }

    @Override
    public int size() {
        return loaded != null ? loaded.length : changed.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return loaded != null ? key instanceof String path && indexOf(path) >= 0 : changed.containsKey(key);
    }

    @Override
    public V get(Object key) {
        if (loaded == null) {
            return changed.get(key);
        }
        int at = key instanceof String path ? indexOf(path) : -1;
        return at >= 0 ? entry(at) : null;
    }

    @Override
    public V put(String key, V value) {
        return tree().put(key, value);
    }

    @Override
    public V remove(Object key) {
        if (loaded != null && !containsKey(key)) {
            return null; // nothing to remove: no need for the tree
        }
        return tree().remove(key);
    }

    @Override
    public void clear() {
        loaded = null;
        changed = new TreeMap<>();
    }

    @Override
    public Comparator<? super String> comparator() {
        return null;
    }

    @Override
    public SortedMap<String, V> subMap(String fromKey, String toKey) {
        return tree().subMap(fromKey, toKey);
    }

    @Override
    public SortedMap<String, V> headMap(String toKey) {
        return tree().headMap(toKey);
    }

    @Override
    public SortedMap<String, V> tailMap(String fromKey) {
        return tree().tailMap(fromKey);
    }

    @Override
    public String firstKey() {
        if (loaded == null) {
            return changed.firstKey();
        }
        if (loaded.length == 0) {
            throw new NoSuchElementException();
        }
        return pathOf.apply(entry(0));
    }

    @Override
    public String lastKey() {
        if (loaded == null) {
            return changed.lastKey();
        }
        if (loaded.length == 0) {
            throw new NoSuchElementException();
        }
        return pathOf.apply(entry(loaded.length - 1));
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, V>> iterator() {
                return loaded != null
                        ? new Loaded<V, Entry<String, V>>(loaded, e -> new SimpleImmutableEntry<>(pathOf.apply(e), e))
                        : changed.entrySet().iterator();
            }

            @Override
            public int size() {
                return PathMap.this.size();
            }
        };
    }

    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return loaded != null ? new Loaded<>(loaded, pathOf) : changed.keySet().iterator();
            }

            @Override
            public int size() {
                return PathMap.this.size();
            }

            @Override
            public boolean contains(Object key) {
                return containsKey(key);
            }
        };
    }

    @Override
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return loaded != null ? new Loaded<>(loaded, Function.identity()) : changed.values().iterator();
            }

            @Override
            public int size() {
                return PathMap.this.size();
            }
        };
    }

    /** Returns the tree form, making it from the loaded entries at the first call. */
    private TreeMap<String, V> tree() {
        if (loaded != null) {
            changed = new TreeMap<>(this); // from a sorted map: built in one go, without comparisons
            loaded = null;
        }
        return changed;
    }

    @SuppressWarnings("unchecked")
    private V entry(int at) {
        return (V) loaded[at];
    }

    /** Returns the index of {@code path} in the loaded entries, or a negative number if it is not there. */
    private int indexOf(String path) {
        int low = 0;
        int high = loaded.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = pathOf.apply(entry(mid)).compareTo(path);
            if (order < 0) {
                low = mid + 1;
            } else if (order > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private boolean strictlyIncreasing(Object[] array) {
        for (int i = 1; i < array.length; i++) {
            if (pathOf.apply((V) array[i - 1]).compareTo(pathOf.apply((V) array[i])) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Iterates over the loaded entries, each as {@code as} makes it; read-only. */
    private static final class Loaded<V, T> implements Iterator<T> {
        private final Object[] entries;
        private final Function<V, T> as;
        private int next;

        Loaded(Object[] entries, Function<V, T> as) {
            this.entries = entries;
            this.as = as;
        }

        @Override
        public boolean hasNext() {
            return next < entries.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next >= entries.length) {
                throw new NoSuchElementException();
            }
            return as.apply((V) entries[next++]);
        }
    }
}
