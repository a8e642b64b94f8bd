package io.syncedfolder.client.watch;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.syncedfolder.common.PathRules;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the folder recursively (inotify on Linux, FSEvents on macOS, through directory-watcher) and
 * reports the touched paths to a {@link ChangeListener}. Events are only hints that schedule a rescan of
 * those paths; the client's own state folder is not reported.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

    private final Path root;
    private final DirectoryWatcher watcher;

    private FolderWatcher(Path root, ChangeListener listener) throws IOException {
        this.root = root;
        this.watcher = DirectoryWatcher.builder()
                .path(root)
                .fileHashing(false)
                .logger(org.slf4j.helpers.NOPLogger.NOP_LOGGER)
                .listener(new io.methvin.watcher.DirectoryChangeListener() {
                    @Override
                    public void onEvent(DirectoryChangeEvent event) {
                        handle(event, listener);
                    }

                    @Override
                    public void onException(Exception e) {
                        listener.rescanEverything("the file watcher failed (" + e.getMessage() + ")");
                    }
                })
                .build();
    }

    /** Starts watching {@code root} in the background. */
    public static FolderWatcher start(Path root, ChangeListener listener) throws IOException {
        FolderWatcher folderWatcher = new FolderWatcher(root, listener);
        folderWatcher.watcher.watchAsync().whenComplete((ignored, failure) -> {
            if (failure != null && !folderWatcher.watcher.isClosed()) {
                LOG.warn("the file watcher stopped ({}); changes are now found by the periodic rescans", failure.getMessage());
                listener.rescanEverything("the file watcher stopped");
            }
        });
        return folderWatcher;
    }

    private void handle(DirectoryChangeEvent event, ChangeListener listener) {
        if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
            listener.rescanEverything("too many file events at once");
            return;
        }
        Path path = event.path();
        if (path == null || !path.startsWith(root) || path.equals(root)) {
            return;
        }
        StringBuilder relative = new StringBuilder();
        for (Path name : root.relativize(path)) {
            if (!relative.isEmpty()) {
                relative.append('/');
            }
            relative.append(name);
        }
        String synced = Normalizer.normalize(relative.toString(), Normalizer.Form.NFC);
        if (synced.equals(PathRules.STATE_DIR) || synced.startsWith(PathRules.STATE_DIR + "/")) {
            return;
        }
        listener.touched(synced);
    }

    @Override
    public void close() throws IOException {
        watcher.close();
    }
}
