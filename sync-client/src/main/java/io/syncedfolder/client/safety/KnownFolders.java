package io.syncedfolder.client.safety;

import io.syncedfolder.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders this user has synced, one absolute path per line in a file outside them (by default
 * {@code $XDG_STATE_HOME/synced-folder/known-folders}). A folder's own state lives inside it, so when a drive
 * fails to mount, the folder and its state vanish together; this list is what remembers it was ever synced.
 */
public final class KnownFolders {
    private final Path file;

    public KnownFolders(Path file) {
        this.file = file;
    }

    /** Returns the default list's location for this user. */
    public static Path defaultFile() {
        String stateHome = System.getenv("XDG_STATE_HOME");
        Path base = stateHome != null && !stateHome.isBlank()
                ? Path.of(stateHome)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("synced-folder").resolve("known-folders");
    }

    public boolean contains(Path folder) throws IOException {
        return read().contains(key(folder));
    }

    /** Remembers {@code folder}; does nothing if it is already listed. */
    public void add(Path folder) throws IOException {
        List<String> folders = read();
        String key = key(folder);
        if (folders.contains(key)) {
            return;
        }
        folders.add(key);
        Files.createDirectories(file.getParent());
        AtomicFiles.writeBytes(file, (String.join("\n", folders) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private List<String> read() throws IOException {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        List<String> folders = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                folders.add(line);
            }
        }
        return folders;
    }

    private static String key(Path folder) {
        return folder.toAbsolutePath().normalize().toString();
    }
}
