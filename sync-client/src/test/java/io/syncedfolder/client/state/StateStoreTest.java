package io.syncedfolder.client.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.state.StateStore.StateFile;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    private static final String SERVER = "http://127.0.0.1:8080";
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    @TempDir
    Path dir;

    private static List<FileEntry> remote() {
        return List.of(
                new FileEntry("docs", EntryKind.DIRECTORY, false, 1, null, 0, 10, false, List.of(), "alice"),
                new FileEntry("docs/small.txt", EntryKind.FILE, false, 2, A, 5, 20, true, List.of(new ChunkRef(A, 5)), "bob"),
                new FileEntry("docs/big.bin", EntryKind.FILE, false, 3, C, 30, 30, false,
                        List.of(new ChunkRef(A, 10), new ChunkRef(B, 20)), null),
                new FileEntry("empty", EntryKind.FILE, false, 4, "e".repeat(64), 0, 40, false, List.of(), "bob"),
                new FileEntry("gone.txt", EntryKind.FILE, true, 5, null, 0, 50, false, List.of(), "alice"),
                new FileEntry("ünïcödé/名前.txt", EntryKind.FILE, false, 6, B, 7, 60, false, List.of(new ChunkRef(B, 7)), "ü"));
    }

    private static List<BaseEntry> base() {
        return List.of(
                new BaseEntry("docs", EntryKind.DIRECTORY, 1, null, 0, 11, false, List.of(), 100),
                new BaseEntry("docs/small.txt", EntryKind.FILE, 2, A, 5, 21, true, List.of(new ChunkRef(A, 5)), 200),
                new BaseEntry("docs/big.bin", EntryKind.FILE, 3, C, 30, 31, false,
                        List.of(new ChunkRef(A, 10), new ChunkRef(B, 20)), 300));
    }

    @Test
    void savedStateLoadsBackEqual() throws IOException {
        ClientState state = new ClientState("index-1", 42, remote(), base());
        state.markChanged();
        StateStore store = new StateStore(dir, SERVER);
        store.save(state);
        assertThat(dir.resolve("state.bin")).exists();

        ClientState loaded = store.load();
        assertThat(loaded.indexId()).isEqualTo("index-1");
        assertThat(loaded.cursor()).isEqualTo(42);
        assertThat(loaded.remote().values()).containsExactlyInAnyOrderElementsOf(remote());
        assertThat(loaded.base().values()).containsExactlyInAnyOrderElementsOf(base());
        assertThat(loaded.dirty()).isFalse();
        assertThat(StateStore.peek(dir)).map(StateFile::cursor).contains(42L);
    }

    @Test
    void aBaseEntryTakesThePathOfItsRemoteEntryAndEveryOtherPathReadsBackAsWritten() throws IOException {
        // In path order, as a state is saved: "é" sorts after "z".
        List<FileEntry> remote = List.of(remoteFile("b.txt"),
                new FileEntry("c/gone.txt", EntryKind.FILE, true, 6, null, 0, 50, false, List.of(), "alice"),
                remoteFile("d.txt"), remoteFile("z/😀.txt"), remoteFile("é/ü.txt"));
        List<BaseEntry> base = List.of(baseFile("a.txt"), baseFile("b.txt"), baseFile("c/kept.txt"), baseFile("d.txt"),
                baseFile("e\u0301/x.txt"), baseFile("z/😀.txt"), baseFile("zz/😀😀.txt"), baseFile("é/ü.txt"));
        ClientState state = new ClientState("index-1", 42, remote, base);
        state.markChanged();
        StateStore store = new StateStore(dir, SERVER);
        store.save(state);

        ClientState loaded = store.load();

        assertThat(loaded.remote().values()).containsExactlyElementsOf(remote);
        assertThat(loaded.base().values()).containsExactlyElementsOf(base);
        for (String shared : List.of("b.txt", "d.txt", "é/ü.txt", "z/😀.txt")) {
            assertThat(loaded.base().get(shared).path()).isSameAs(loaded.remote().get(shared).path());
        }
    }

    private static FileEntry remoteFile(String path) {
        return new FileEntry(path, EntryKind.FILE, false, 5, A, 5, 20, false, List.of(new ChunkRef(A, 5)), "bob");
    }

    private static BaseEntry baseFile(String path) {
        return new BaseEntry(path, EntryKind.FILE, 5, A, 5, 20, false, List.of(new ChunkRef(A, 5)), 200);
    }

    @Test
    void theJsonStateOfEarlierVersionsIsReadAndReplaced() throws IOException {
        Json.mapper().writeValue(dir.resolve("state.json").toFile(),
                new StateFile(1, SERVER, "index-1", 7, remote(), base()));
        StateStore store = new StateStore(dir, SERVER);
        ClientState loaded = store.load();
        assertThat(loaded.remote().values()).containsExactlyInAnyOrderElementsOf(remote());
        assertThat(loaded.base().values()).containsExactlyInAnyOrderElementsOf(base());

        store.save(loaded);
        assertThat(dir.resolve("state.json")).doesNotExist();
        assertThat(store.load().cursor()).isEqualTo(7);
    }

    @Test
    void anUnreadableStateIsKeptAsideAndSyncStartsOver() throws IOException {
        Files.write(dir.resolve("state.bin"), new byte[] {0x53, 0x46, 0x53, 0x54, 0, 0, 0, 2, 0});
        ClientState loaded = new StateStore(dir, SERVER).load();
        assertThat(loaded.base()).isEmpty();
        assertThat(dir.resolve("state.bin")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("state.bin.unreadable-"));
        }
    }

    @Test
    void stateOfAnotherServerIsNotReused() throws IOException {
        ClientState state = new ClientState("index-1", 42, remote(), base());
        state.markChanged();
        new StateStore(dir, SERVER).save(state);
        assertThat(new StateStore(dir, "http://elsewhere:8080").load().base()).isEmpty();
    }
}
