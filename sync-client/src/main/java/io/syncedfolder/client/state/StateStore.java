package io.syncedfolder.client.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.AtomicFiles;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves {@link ClientState} as {@code .sync/state.bin} (see {@link StateCodec}), crash-safely: a
 * save replaces the file atomically, so a crash leaves the previous state and at worst repeats work. The
 * {@code state.json} of earlier versions is read once and replaced.
 */
public final class StateStore {
    private static final int BUFFER = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final String FILE_NAME = "state.bin";
    private static final String LEGACY_FILE_NAME = "state.json";
    private static final int LEGACY_FORMAT = 1;

    /** The on-disk form of the state. */
    public record StateFile(int format, String server, String indexId, long cursor, List<FileEntry> remote,
                            List<BaseEntry> base) {
    }

    private final Path file;
    private final Path legacyFile;
    private final Path lastPassFile;
    private final String server;

    /** @param server the server URL this state belongs to; state of another server is not reused */
    public StateStore(Path stateDir, String server) {
        this.file = stateDir.resolve(FILE_NAME);
        this.legacyFile = stateDir.resolve(LEGACY_FILE_NAME);
        this.lastPassFile = stateDir.resolve("last-pass.json");
        this.server = server;
    }

    public ClientState load() throws IOException {
        Path source = Files.exists(file) ? file : legacyFile;
        if (!Files.exists(source)) {
            return new ClientState();
        }
        StateFile stored;
        try {
            stored = read(source);
        } catch (JsonProcessingException | StateCodec.UnreadableStateException | EOFException e) {
            Path aside = source.resolveSibling(source.getFileName() + ".unreadable-" + System.currentTimeMillis());
            Files.move(source, aside);
            LOG.warn("the sync state was unreadable (kept as {}); starting over, nothing will be deleted", aside);
            return new ClientState();
        }
        if (!server.equals(stored.server())) {
            LOG.warn("this folder was last synced with {}; comparing it afresh with {}", stored.server(), server);
            return new ClientState();
        }
        ClientState state = new ClientState(stored.indexId(), stored.cursor(), nonNull(stored.remote()),
                nonNull(stored.base()));
        if (source == legacyFile) {
            state.markChanged(); // the next save writes the compact form
        }
        return state;
    }

    /** Saves the state if it changed since it was last saved or loaded. */
    public void save(ClientState state) throws IOException {
        if (!state.dirty()) {
            return;
        }
        StateFile stored = new StateFile(StateCodec.FORMAT, server, state.indexId(), state.cursor(),
                List.copyOf(state.remote().values()), List.copyOf(state.base().values()));
        AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, BUFFER));
            StateCodec.write(data, stored);
            data.flush();
        });
        Files.deleteIfExists(legacyFile);
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

    /** Loads the state for reading only: it may be owned by a running client. Empty if missing or unreadable. */
    public static Optional<StateFile> peek(Path stateDir) throws IOException {
        for (Path source : List.of(stateDir.resolve(FILE_NAME), stateDir.resolve(LEGACY_FILE_NAME))) {
            if (Files.exists(source)) {
                try {
                    return Optional.of(read(source));
                } catch (JsonProcessingException | StateCodec.UnreadableStateException | EOFException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static StateFile read(Path source) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), BUFFER)) {
            if (source.getFileName().toString().equals(FILE_NAME)) {
                return StateCodec.read(new DataInputStream(in));
            }
            StateFile legacy = Json.mapper().readValue(in, StateFile.class);
            if (legacy.format() != LEGACY_FORMAT) {
                throw new StateCodec.UnreadableStateException("sync state format " + legacy.format());
            }
            return legacy;
        }
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
