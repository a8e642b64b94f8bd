package io.syncedfolder.server.web;

import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.common.protocol.FolderListing;
import io.syncedfolder.common.protocol.ListedEntry;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.service.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists what one folder of the index holds now.
 *
 * <p>A folder exists if it has a live folder entry or any live path lies inside it: a commit from a script may add
 * {@code a/b.txt} without {@code a}, and the page must still let a person get to it.
 *
 * <p>Each listing looks at every current entry of the index (one copy, read under one lock): a few milliseconds
 * for tens of thousands of paths, which suits a page a person clicks through; an index kept in a database would
 * answer it with a query by prefix instead.
 */
public final class FolderLister {
    private static final Comparator<ListedEntry> ORDER = Comparator
            .comparing((ListedEntry e) -> e.kind() != EntryKind.DIRECTORY)
            .thenComparing(ListedEntry::name, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(ListedEntry::name);

    private final FileIndex index;

    public FolderLister(FileIndex index) {
        this.index = Objects.requireNonNull(index, "index");
    }

    /**
     * Returns the live files and folders directly inside {@code dir}, folders first, or empty if there is no such
     * folder (never was, deleted, or a file).
     *
     * @param dir a relative folder path; null or empty for the top
     * @throws InvalidRequestException if {@code dir} breaks the path rules
     */
    public Optional<FolderListing> list(String dir) {
        String folder = dir == null ? "" : dir;
        if (!folder.isEmpty()) {
            PathRules.problem(folder).ifPresent(problem -> {
                throw InvalidRequestException.badPath("bad dir \"" + folder + "\": " + problem);
            });
        }
        Map<String, ListedEntry> children = new HashMap<>();
        boolean exists = folder.isEmpty();
        for (FileEntry entry : index.currentEntries()) {
            if (entry.deleted()) {
                continue;
            }
            String path = entry.path();
            if (path.equals(folder)) {
                exists |= entry.isLiveDirectory();
                continue;
            }
            if (!folder.isEmpty() && !PathRules.isInside(path, folder)) {
                continue;
            }
            exists = true;
            String rest = folder.isEmpty() ? path : path.substring(folder.length() + 1);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                children.put(rest, listed(rest, entry));
            } else {
                String name = rest.substring(0, slash);
                String childPath = folder.isEmpty() ? name : folder + "/" + name;
                children.putIfAbsent(name, new ListedEntry(name, childPath, EntryKind.DIRECTORY, 0, 0, 0, null));
            }
        }
        if (!exists) {
            return Optional.empty();
        }
        List<ListedEntry> entries = new ArrayList<>(children.values());
        entries.sort(ORDER);
        return Optional.of(new FolderListing(folder, entries));
    }

    private static ListedEntry listed(String name, FileEntry entry) {
        return new ListedEntry(name, entry.path(), entry.kind(), entry.size(), entry.mtime(), entry.version(),
                entry.device());
    }
}
