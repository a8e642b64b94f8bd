package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.syncedfolder.client.conflicts.ConflictCopy;
import io.syncedfolder.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sync-client conflicts}: the conflict copies a real conflict left, listed without a server. */
class ConflictsCommandTest extends TwoClientsTest {
    static CliRun conflicts(TestClient client, String... rest) {
        return CliRun.on(client, "conflicts", rest);
    }

    /** Makes bob's edit of docs/report.txt lose to alice's newer one; returns the copy's path. */
    private String conflictOnBob() throws IOException {
        alice.write("docs/report.txt", "base");
        alice.sync();
        bob.sync();
        alice.write("docs/report.txt", "alice's newer edit").touch("docs/report.txt", 2_000_000_000_000L);
        bob.write("docs/report.txt", "bob's edit, 21 bytes.").touch("docs/report.txt", 1_900_000_000_000L);
        alice.sync();
        bob.sync();
        return bob.tree().keySet().stream().filter(p -> p.contains(".sync-conflict-")).findFirst().orElseThrow();
    }

    @Test
    void tableListsEachCopyWithTheFileItConflictsWith() throws IOException {
        String copy = conflictOnBob();
        // The state folder is never listed, whatever is in it.
        Files.writeString(bob.folder.resolve(".sync/x.sync-conflict-20260101-000000-evil.txt"), "not a copy");

        CliRun run = conflicts(bob);

        assertThat(run.exitCode()).isZero();
        assertThat(copy).matches("docs/report\\.sync-conflict-\\d{8}-\\d{6}-bob\\.txt");
        String stamp = copy.substring("docs/report.sync-conflict-".length(), "docs/report.sync-conflict-".length() + 15);
        String when = stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8) + " "
                + stamp.substring(9, 11) + ":" + stamp.substring(11, 13) + ":" + stamp.substring(13, 15);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("CONFLICT COPY").contains("CONFLICTS WITH", "TIME", "DEVICE", "SIZE");
        assertThat(lines.get(1)).startsWith(copy).containsSubsequence("docs/report.txt", when, "bob", "21 B");
        assertThat(lines.get(1).indexOf("docs/report.txt")).isEqualTo(lines.get(0).indexOf("CONFLICTS WITH"));
        assertThat(run.out()).contains("1 conflict copy.").doesNotContain("evil", ".sync/");
    }

    @Test
    void jsonForScripts() throws IOException {
        String copy = conflictOnBob();
        alice.sync(); // the copy crosses over to alice too

        CliRun run = conflicts(alice, "--json");

        assertThat(run.exitCode()).isZero();
        List<ConflictCopy> copies = Json.mapper().readValue(run.out(), new TypeReference<List<ConflictCopy>>() { });
        assertThat(copies).hasSize(1);
        ConflictCopy only = copies.get(0);
        assertThat(only.path()).isEqualTo(copy);
        assertThat(only.original()).isEqualTo("docs/report.txt");
        assertThat(only.originalExists()).isTrue();
        assertThat(only.device()).isEqualTo("bob");
        assertThat(only.size()).isEqualTo(21);
        assertThat(only.time()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
    }

    @Test
    void aFolderWithoutConflictsSaysSo() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();

        CliRun table = conflicts(alice);
        CliRun json = conflicts(alice, "--json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).startsWith("no conflict copies in ");
        assertThat(json.out().strip()).isEqualTo("[ ]");
    }

    @Test
    void helpDescribesTheCommand() {
        CliRun help = CliRun.of("conflicts", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: sync-client conflicts", "--json", "needs no server");
    }
}
