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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves {@link ClientState} as {@code .sync/state.json}, crash-safely: a save replaces the file
 * atomically, so a crash leaves the previous state and at worst repeats work.
 */
public final class StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final int FORMAT = 1;

    /** The on-disk form of the state. */
    public record StateFile(int format, String server, String indexId, long cursor, List<FileEntry> remote,
                            List<BaseEntry> base) {
    }

    private final Path file;
    private final Path lastPassFile;
    private final String server;

    /** @param server the server URL this state belongs to; state of another server is not reused */
    public StateStore(Path stateDir, String server) {
        this.file = stateDir.resolve("state.json");
        this.lastPassFile = stateDir.resolve("last-pass.json");
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
        return new ClientState(stored.indexId(), stored.cursor(), nonNull(stored.remote()), nonNull(stored.base()));
    }

    /** Saves the state if it changed since it was last saved or loaded. */
    public void save(ClientState state) throws IOException {
        if (!state.dirty()) {
            return;
        }
        StateFile stored = new StateFile(FORMAT, server, state.indexId(), state.cursor(),
                List.copyOf(state.remote().values()), List.copyOf(state.base().values()));
        AtomicFiles.write(file, out -> Json.mapper().writeValue(out, stored));
        state.markSaved();
    }

    /** Records how the latest pass ended, for {@code sync-client status}. */
    public void saveLastPass(LastPass pass) throws IOException {
        AtomicFiles.write(lastPassFile, out -> Json.mapper().writeValue(out, pass));
    }

    /** Returns how the latest pass ended, if any pass ever ended here. */
    public static Optional<LastPass> loadLastPass(Path stateDir) throws IOException {
        return readIfPresent(stateDir.resolve("last-pass.json"), LastPass.class);
    }

    /** Loads the state for reading only: it may be owned by a running client. */
    public static Optional<StateFile> peek(Path stateDir) throws IOException {
        return readIfPresent(stateDir.resolve("state.json"), StateFile.class);
    }

    /** Reads a JSON file; empty if it is missing or unreadable (a reader never repairs what a client owns). */
    private static <T> Optional<T> readIfPresent(Path file, Class<T> type) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(Json.mapper().readValue(in, type));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
