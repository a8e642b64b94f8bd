package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.HistoryResponse;
import io.syncedfolder.common.protocol.TrashResponse;
import io.syncedfolder.common.protocol.VersionInfo;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code history}, {@code restore} and {@code trash} against a real server, seen by a second client. */
class HistoryCommandsTest extends TwoClientsTest {
    private CliRun run(String command, String... rest) {
        String[] args = new String[rest.length + 4];
        args[0] = "--server";
        args[1] = world.server.url();
        args[2] = "--token";
        args[3] = TestServer.TOKEN;
        System.arraycopy(rest, 0, args, 4, rest.length);
        return CliRun.on(alice, command, args);
    }

    @Test
    void historyListsEveryVersionNewestFirst() throws IOException {
        alice.write("notes.txt", "first");
        alice.sync();
        alice.write("notes.txt", "second, longer");
        alice.sync();

        CliRun table = run("history", "notes.txt");
        HistoryResponse json = Json.mapper().readValue(run("history", "notes.txt", "--json").out(), HistoryResponse.class);

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).startsWith("notes.txt\nVERSION").contains("file (current)", "14 B", "5 B", "alice")
                .contains("sync-client restore notes.txt --version V");
        assertThat(json.versions()).hasSize(2);
        assertThat(json.versions().get(0).replacedAt()).isNull();
        assertThat(json.versions().get(1).replacedAt()).isNotNull();
        assertThat(json.versions().get(0).version()).isGreaterThan(json.versions().get(1).version());
    }

    @Test
    void restoringAnEarlierVersionReachesEveryClient() throws IOException {
        alice.write("notes.txt", "the good version");
        alice.sync();
        alice.write("notes.txt", "an edit to undo");
        alice.sync();
        bob.sync();
        VersionInfo good = Json.mapper().readValue(run("history", "notes.txt", "--json").out(), HistoryResponse.class)
                .versions().get(1);

        CliRun restore = run("restore", "notes.txt", "--version", Long.toString(good.version()));

        assertThat(restore.exitCode()).isZero();
        assertThat(restore.out()).matches("restored notes.txt from version " + good.version()
                + " as version \\d+; every client gets it on its next pass\\n");
        bob.sync();
        alice.sync();
        assertThat(bob.read("notes.txt")).isEqualTo("the good version");
        assertThat(alice.read("notes.txt")).isEqualTo("the good version");
    }

    @Test
    void aDeletedFileIsInTheTrashAndComesBackEverywhere() throws IOException {
        alice.write("photos/cat.jpg", "meow");
        alice.sync();
        bob.sync();
        bob.delete("photos/cat.jpg");
        bob.sync();
        alice.sync();
        assertThat(alice.exists("photos/cat.jpg")).isFalse();

        CliRun trash = run("trash");
        TrashResponse json = Json.mapper().readValue(run("trash", "--json").out(), TrashResponse.class);
        CliRun restore = run("restore", "photos/cat.jpg");

        assertThat(trash.out()).contains("PATH", "photos/cat.jpg", "bob", "1 deleted file.");
        assertThat(json.items()).singleElement().satisfies(item -> assertThat(item.path()).isEqualTo("photos/cat.jpg"));
        assertThat(restore.exitCode()).isZero();
        alice.sync();
        bob.sync();
        assertThat(alice.read("photos/cat.jpg")).isEqualTo("meow");
        assertThat(bob.read("photos/cat.jpg")).isEqualTo("meow");
        assertThat(run("trash").out()).contains("the trash is empty");
    }

    @Test
    void mistakesGetOneClearLine() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();

        CliRun unknown = run("history", "never.txt");
        CliRun noSuchVersion = run("restore", "a.txt", "--version", "999");
        CliRun outside = run("history", world.temp.resolve("elsewhere.txt").toString());
        CliRun noServer = CliRun.on(alice, "trash");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("sync-client: the server has no record of never.txt\n");
        assertThat(noSuchVersion.exitCode()).isEqualTo(1);
        assertThat(noSuchVersion.err()).contains("the server keeps no version 999 of a.txt", "sync-client history a.txt");
        assertThat(outside.exitCode()).isEqualTo(2);
        assertThat(outside.err()).contains("not inside the folder");
        assertThat(noServer.exitCode()).isEqualTo(2);
        assertThat(noServer.err()).contains("missing --server");
    }

    @Test
    void eachCommandExplainsItself() {
        assertThat(CliRun.of("history", "--help").out()).contains("Usage: sync-client history", "--json", "PATH");
        assertThat(CliRun.of("restore", "--help").out()).contains("Usage: sync-client restore", "--version=V");
        assertThat(CliRun.of("trash", "--help").out()).contains("Usage: sync-client trash", "--json");
    }
}
