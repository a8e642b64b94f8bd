package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sync-server user add|list|remove|token}, run as a user runs them, against a stopped and a running server. */
class UserMainTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new CommandLine(new ServerMain())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args));
        return new Result(code, out.toString(), err.toString());
    }

    private String data() {
        return tmp.resolve("d").toString();
    }

    @Test
    void addPrintsTheTokenOnceAndListNeverShowsIt() {
        Result added = run("user", "add", "alice", "--data", data());

        assertThat(added.code()).isZero();
        String token = added.out().strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(added.err()).contains("Added user alice", "shown only now");

        Result list = run("user", "list", "--data", data());
        assertThat(list.code()).isZero();
        assertThat(list.out()).startsWith("NAME   CREATED").contains("alice  20").doesNotContain(token);
        Result json = run("user", "list", "--json", "--data", data());
        assertThat(json.out()).startsWith("{\"users\":[{\"name\":\"alice\",\"created\":").doesNotContain(token);
    }

    @Test
    void refusalsExit1AndBadUsageExits2() {
        run("user", "add", "alice", "--data", data());

        Result again = run("user", "add", "alice", "--data", data());
        Result unknown = run("user", "remove", "bob", "--data", data());
        Result rotateUnknown = run("user", "token", "bob", "--data", data());
        Result badName = run("user", "add", "Not OK", "--data", data());
        Result reserved = run("user", "add", "default", "--data", data());
        Result noName = run("user", "add", "--data", data());
        Result bare = run("user");

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("sync-server user add: user alice exists already; `user token alice`"
                + " gives it a new token" + System.lineSeparator());
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no user bob");
        assertThat(rotateUnknown.code()).isEqualTo(1);
        assertThat(badName.code()).isEqualTo(2);
        assertThat(badName.err()).contains("a-z, 0-9, _ and -");
        assertThat(reserved.code()).isEqualTo(2);
        assertThat(reserved.err()).contains("reserved");
        assertThat(noName.code()).isEqualTo(2);
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.err()).contains("add", "list", "remove", "token");
    }

    @Test
    void everyUserCommandHasHelp() {
        for (String command : new String[] {"add", "list", "remove", "token"}) {
            Result help = run("user", command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).contains("--data");
        }
        assertThat(run("--help").out()).contains("user");
    }

    @Test
    void aServerWithUsersAndNoTokenServesThemAndSeesRotationAndRemovalAtOnce() throws Exception {
        String alice = run("user", "add", "alice", "--data", data()).out().strip();
        String bob = run("user", "add", "bob", "--data", data()).out().strip();
        try (ServerProcess server = ServerProcess.start(tmp.resolve("log.txt"), "--port", "0", "--data", data())) {
            assertThat(new Http(server.baseUrl(), alice).get("/api/v1/changes").status()).isEqualTo(200);

            String rotated = run("user", "token", "alice", "--data", data()).out().strip();
            Result removed = run("user", "remove", "bob", "--data", data());

            assertThat(new Http(server.baseUrl(), alice).get("/api/v1/changes").status()).isEqualTo(401);
            assertThat(new Http(server.baseUrl(), rotated).get("/api/v1/changes").status()).isEqualTo(200);
            assertThat(removed.out()).contains("removed user bob");
            assertThat(new Http(server.baseUrl(), bob).get("/api/v1/changes").status()).isEqualTo(401);
        }
    }

    @Test
    void noTokenAndNoUsersNamesBothWays() throws Exception {
        Files.createDirectories(tmp.resolve("d"));
        Result result = run("--port", "0", "--data", data());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--token", "SYNC_TOKEN", "sync-server user add");
    }
}
