package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.HistoryResponse;
import io.syncedfolder.common.protocol.RestoreRequest;
import io.syncedfolder.common.protocol.TrashResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a real server process with SIGKILL and checks that history, trash and restores survive it (SPEC §4). */
class HistoryCrashTest {
    private static final String TOKEN = "history-crash-token";

    @TempDir
    Path tmp;

    @Test
    void historyAndTrashSurviveKillMinus9() throws Exception {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        Map<String, HistoryResponse> histories = new LinkedHashMap<>();
        TrashResponse trash;
        ServerProcess server = start(data, log, "3");
        try {
            Http http = new Http(server.baseUrl(), TOKEN);
            long notes = 0;
            for (int i = 0; i < 5; i++) {
                notes = write(http, "notes.txt", notes, "notes, draft " + i).version();
            }
            FileEntry photo = write(http, "photo.jpg", 0, "pixels");
            commit(http, Change.deletion("photo.jpg", photo.version(), EntryKind.FILE, 7));
            FileEntry old = write(http, "old.txt", 0, "old");
            commit(http, Change.deletion("old.txt", old.version(), EntryKind.FILE, 8));
            Http.Response restored = http.postJson("/api/v1/restore", new RestoreRequest("old.txt", null));
            assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
            for (String path : List.of("notes.txt", "photo.jpg", "old.txt")) {
                histories.put(path, http.get("/api/v1/history?path=" + path).json(HistoryResponse.class));
            }
            trash = http.get("/api/v1/trash").json(TrashResponse.class);
            assertThat(histories.get("notes.txt").versions()).as("3 earlier versions kept").hasSize(4);
            assertThat(trash.items()).hasSize(1);

            server.kill();
            server = start(data, log, "3");

            Http again = new Http(server.baseUrl(), TOKEN);
            for (Map.Entry<String, HistoryResponse> history : histories.entrySet()) {
                assertThat(again.get("/api/v1/history?path=" + history.getKey()).json(HistoryResponse.class))
                        .isEqualTo(history.getValue());
            }
            assertThat(again.get("/api/v1/trash").json(TrashResponse.class)).isEqualTo(trash);
            server.kill();

            // A stricter policy at the next start drops what it no longer keeps.
            server = start(data, log, "1");
            assertThat(new Http(server.baseUrl(), TOKEN).get("/api/v1/history?path=notes.txt")
                    .json(HistoryResponse.class).versions()).hasSize(2);
        } finally {
            server.close();
        }
    }

    private static ServerProcess start(Path data, Path log, String keepVersions) throws Exception {
        return ServerProcess.start(log, "--port", "0", "--data", data.toString(), "--token", TOKEN,
                "--keep-versions", keepVersions);
    }

    private static FileEntry write(Http http, String path, long base, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = Hashing.sha256Hex(bytes);
        assertThat(http.put("/api/v1/blobs/" + sha, bytes).status()).isIn(200, 201);
        return commit(http, Change.file(path, base, sha, bytes.length, 1, false,
                List.of(new ChunkRef(sha, bytes.length))));
    }

    private static FileEntry commit(Http http, Change change) throws Exception {
        Http.Response response = http.postJson("/api/v1/commit", new CommitRequest("crash", List.of(change)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json(CommitResponse.class).entries().get(0);
    }
}
