package io.syncedfolder.client.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves {@link ClientState} as {@code .sync/state.json}, crash-safely: a save replaces the file
 * atomically, so a crash leaves the previous state and at worst repeats work.
 */
public final class StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final int FORMAT = 1;

    record StateFile(int format, String server, long cursor, long lastSyncMillis,
                             List<FileEntry> remote, List<BaseEntry> base) {
    }

    private final Path file;
    private final String server;

    /** @param server the server URL this state belongs to; state of another server is not reused */
    public StateStore(Path stateDir, String server) {
        this.file = stateDir.resolve("state.json");
        this.server = server;
    }

    public Path file() {
        return file;
    }

    public ClientState load() throws IOException {
        if (!Files.exists(file)) {
            return new ClientState();
        }
        StateFile stored;
        try (InputStream in = Files.newInputStream(file)) {
            stored = Json.mapper().readValue(in, StateFile.class);
        } catch (JsonProcessingException e) {
            Path aside = file.resolveSibling("state.json.unreadable-" + System.currentTimeMillis());
            Files.move(file, aside);
            LOG.warn("the sync state was unreadable (kept as {}); starting over, nothing will be deleted", aside);
            return new ClientState();
        }
        if (stored.format() != FORMAT || !server.equals(stored.server())) {
            LOG.warn("this folder was last synced with {}; comparing it afresh with {}", stored.server(), server);
            return new ClientState();
        }
        return new ClientState(stored.cursor(), stored.lastSyncMillis(),
                nonNull(stored.remote()), nonNull(stored.base()));
    }

    public void save(ClientState state) throws IOException {
        StateFile stored = new StateFile(FORMAT, server, state.cursor(), state.lastSyncMillis(),
                List.copyOf(state.remote().values()), List.copyOf(state.base().values()));
        AtomicFiles.write(file, out -> Json.mapper().writeValue(out, stored));
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
