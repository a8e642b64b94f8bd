package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.why.Decision;
import io.syncedfolder.client.why.Explanation;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;

/** {@code sync-client why PATH}, after real passes against a real server, with the clients still running. */
class WhyCommandTest extends TwoClientsTest {
    static CliRun why(TestClient client, String... rest) {
        return CliRun.on(client, "why", rest);
    }

    static Explanation json(CliRun run) throws IOException {
        return Json.mapper().readValue(run.out(), Explanation.class);
    }

    static String hash(String content) {
        return Hashing.sha256Hex(content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUploadShowsTheNewLocalFileNoBaseNoRemoteAndTheRule() throws IOException {
        alice.write("docs/a.txt", "hello");
        alice.sync();

        CliRun run = why(alice, "docs/a.txt");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(
                "path:      docs/a.txt",
                "verdict:   the last pass acted on it",
                "rule:      new here",
                "action:    upload",
                "outcome:   done",
                "base:      none (never synced here)",
                "remote:    none (the server has no entry)");
        assertThat(line(run.out(), "local:")).contains("file", "5 B", hash("hello").substring(0, 12));
        assertThat(run.out()).doesNotContain("round:");
    }

    @Test
    void aDownloadShowsTheRemoteVersionAndTheDeviceThatMadeIt() throws IOException {
        alice.write("a.txt", "from alice");
        alice.sync();
        bob.sync();

        CliRun run = why(bob, "a.txt");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("rule:      new on the server", "action:    download", "outcome:   done",
                "local:     none");
        assertThat(line(run.out(), "remote:")).contains("file", "10 B", hash("from alice").substring(0, 12), "alice");
    }

    @Test
    void aChangeOnTheServerShowsTheBaseItWasComparedWith() throws IOException {
        alice.write("a.txt", "v1");
        alice.sync();
        bob.sync();
        alice.write("a.txt", "version 2");
        alice.sync();
        bob.sync();

        Explanation why = json(why(bob, "a.txt", "--json"));

        Decision decision = why.decisions().get(0);
        assertThat(decision.rule()).isEqualTo("changed on the server, unchanged here");
        assertThat(decision.local().sha256()).isEqualTo(hash("v1"));
        assertThat(decision.base().sha256()).isEqualTo(hash("v1"));
        assertThat(decision.remote().sha256()).isEqualTo(hash("version 2"));
        assertThat(decision.remote().version()).isGreaterThan(decision.base().version());
        assertThat(decision.remote().device()).isEqualTo("alice");
    }

    @Test
    void aConflictNamesBothVersionsTheKeeperAndTheCopy() throws IOException {
        alice.write("report.txt", "base");
        alice.sync();
        bob.sync();
        alice.write("report.txt", "alice's newer edit").touch("report.txt", 2_000_000_000_000L);
        bob.write("report.txt", "bob's older edit").touch("report.txt", 1_900_000_000_000L);
        alice.sync();
        bob.sync();
        String copy = bob.tree().keySet().stream().filter(p -> p.contains(".sync-conflict-")).findFirst().orElseThrow();

        CliRun run = why(bob, "report.txt");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("rule:      changed here and on the server: the later change keeps the name",
                "action:    conflict: the server's version keeps the name, this device's is saved as " + copy,
                "outcome:   done");
        assertThat(line(run.out(), "local:")).contains(hash("bob's older edit").substring(0, 12));
        assertThat(line(run.out(), "base:")).contains(hash("base").substring(0, 12));
        assertThat(line(run.out(), "remote:")).contains(hash("alice's newer edit").substring(0, 12), "alice");

        CliRun ofCopy = why(bob, copy);
        assertThat(ofCopy.out()).contains("action:    save as the conflict copy of report.txt", "outcome:   done");
    }

    @Test
    void aLocalDeleteCommitsATombstone() throws IOException {
        alice.write("gone.txt", "soon gone");
        alice.sync();
        alice.delete("gone.txt");
        alice.sync();

        Explanation why = json(why(alice, "gone.txt", "--json"));

        assertThat(why.verdict()).isEqualTo(Explanation.Verdict.DECIDED);
        Decision decision = why.decisions().get(0);
        assertThat(decision.rule()).isEqualTo("deleted here, unchanged on the server");
        assertThat(decision.action()).isEqualTo("delete on the server (commit a tombstone)");
        assertThat(decision.local()).isNull();
        assertThat(decision.base().sha256()).isEqualTo(hash("soon gone"));
        assertThat(decision.remote().version()).isEqualTo(decision.base().version());
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.DONE);
    }

    @Test
    void aFileThatChangedWhileItWasUploadedIsLeftForTheNextRoundThenDone() throws IOException {
        alice.write("busy.txt", "first");
        alice.onceBeforeExecuting(() -> alice.write("busy.txt", "written again, longer").touch("busy.txt", 1_700_000_000_000L));
        alice.sync();

        CliRun run = why(alice, "busy.txt");

        assertThat(run.out()).contains("round:     1", "round:     2",
                "outcome:   left for the next pass: it changed since it was scanned");
        assertThat(run.out().indexOf("round:     2")).isGreaterThan(run.out().indexOf("left for the next pass"));
        assertThat(run.out().substring(run.out().indexOf("round:     2"))).contains("outcome:   done",
                hash("written again, longer").substring(0, 12));
    }

    @Test
    void aStaleCommitSaysAnotherDeviceCommittedFirst() throws IOException {
        alice.write("race.txt", "base");
        alice.sync();
        bob.sync();
        alice.write("race.txt", "alice").touch("race.txt", 2_000_000_000_000L);
        bob.write("race.txt", "bob commits first").touch("race.txt", 1_000_000_000_000L);
        alice.onceBeforeExecuting(() -> bob.sync());
        alice.sync();

        Explanation why = json(why(alice, "race.txt", "--json"));

        assertThat(why.decisions()).extracting(Decision::outcome)
                .containsExactly(Decision.Outcome.STALE, Decision.Outcome.DONE);
        assertThat(why.decisions().get(0).detail()).contains("another device changed race.txt first");
        assertThat(why.decisions().get(1).rule()).isEqualTo("changed here and on the server: the later change keeps the name");
        assertThat(why.decisions().get(1).remote().device()).isEqualTo("bob");
    }

    @Test
    void aFailedActionShowsTheProblem() throws IOException {
        alice.write("d/f.txt", "inside");
        alice.sync();
        // Between bob's plan and its execution a file takes the name of the folder he is about to create.
        bob.onceBeforeExecuting(() -> Files.writeString(bob.path("d"), "in the way"));
        PassResult result = bob.loop().runPass();
        assertThat(result.inSync()).isFalse();

        CliRun run = why(bob, "d");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("rule:      new on the server", "action:    create the folder");
        assertThat(line(run.out(), "outcome:")).startsWith("outcome:   failed: ").contains("d");
        assertThat(line(run.out(), "remote:")).contains("folder", "alice");
    }

    @Test
    void aSymbolicLinkIsExplainedAsLeftAloneByTheScan() throws IOException {
        alice.write("target.txt", "t");
        Files.createSymbolicLink(alice.path("link"), alice.path("target.txt"));
        alice.sync();

        CliRun run = why(alice, "link");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("verdict:   the last pass left it alone",
                "local:     not read (left alone by the scan)",
                "rule:      left alone by the scan: a symbolic link or a special file",
                "note:      left alone since 20");
    }

    @Test
    void anUnchangedPathShowsItsSavedInputsAndTheEarlierDecision() throws IOException {
        alice.write("a.txt", "stays");
        alice.sync();
        alice.write("b.txt", "another pass");
        alice.sync();

        CliRun run = why(alice, "a.txt");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("verdict:   the last pass had nothing to do for it",
                "rule:      unchanged on both sides: nothing to do", "action:    nothing", "outcome:   nothing to do");
        assertThat(line(run.out(), "base:")).contains(hash("stays").substring(0, 12));
        assertThat(line(run.out(), "remote:")).contains(hash("stays").substring(0, 12), "alice");
        assertThat(run.out()).containsPattern("earlier, at 20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d: new here → upload, done");
    }

    @Test
    void ignoredPathsSayWhichRuleIgnoresThem() throws IOException {
        alice.write(".syncignore", "build/\n").write("build/out.o", "obj").write("notes.txt.swp", "vim");
        alice.sync();

        CliRun byDefault = why(alice, "notes.txt.swp");
        CliRun bySyncignore = why(alice, "build/out.o");
        CliRun state = why(alice, ".sync/state.bin");

        assertThat(byDefault.exitCode()).isZero();
        assertThat(byDefault.out()).contains("verdict:   ignored, never synced", "a default ignore pattern");
        assertThat(bySyncignore.out()).contains("verdict:   ignored, never synced", "a pattern in .syncignore");
        assertThat(state.exitCode()).isZero();
        assertThat(state.out()).contains(".sync/ holds this client's own state and is never synced");
    }

    @Test
    void anUnknownPathExitsOne() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();
        alice.write("after.txt", "written after the pass");

        CliRun unknown = why(alice, "nothing/here.txt");
        CliRun tooNew = why(alice, "after.txt");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).contains("verdict:   unknown to this client", "not in the folder");
        assertThat(tooNew.exitCode()).isEqualTo(1);
        assertThat(tooNew.out()).contains("appeared after the last pass");
    }

    @Test
    void anAbsolutePathInsideTheFolderIsAcceptedAndOneOutsideIsBadUsage() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();

        CliRun inside = why(alice, alice.path("a.txt").toString());
        CliRun outside = why(alice, temp.resolve("elsewhere.txt").toString());

        assertThat(inside.exitCode()).isZero();
        assertThat(inside.out()).contains("path:      a.txt", "rule:      new here");
        assertThat(outside.exitCode()).isEqualTo(2);
        assertThat(outside.err()).contains("not inside the folder");
    }

    @Test
    void aPathInAnotherUnicodeFormIsTheSamePath() throws IOException {
        alice.write("caf\u00e9.txt", "nfc");
        alice.sync();

        CliRun run = why(alice, "cafe\u0301.txt");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("path:      caf\u00e9.txt", "rule:      new here");
    }

    @Test
    void jsonCarriesTheFullInputs() throws IOException {
        alice.write("a.txt", "hello");
        Files.setLastModifiedTime(alice.path("a.txt"), FileTime.fromMillis(1_700_000_000_000L));
        alice.sync();

        // Connection options are accepted in any position, as by every subcommand, though why needs no server.
        CliRun run = why(alice, "a.txt", "--server", world.server.url(), "--token", TestServer.TOKEN, "--json");

        assertThat(run.exitCode()).isZero();
        Explanation why = json(run);
        assertThat(why.path()).isEqualTo("a.txt");
        assertThat(why.verdict()).isEqualTo(Explanation.Verdict.DECIDED);
        assertThat(why.lastPassAt()).isPositive();
        Decision decision = why.decisions().get(0);
        assertThat(decision.passAt()).isEqualTo(why.lastPassAt());
        assertThat(decision.local()).isEqualTo(new Decision.Input(EntryKind.FILE, null, hash("hello"), 5,
                1_700_000_000_000L, false, null, false));
        assertThat(decision.base()).isNull();
        assertThat(decision.remote()).isNull();
        assertThat(decision.outcome()).isEqualTo(Decision.Outcome.DONE);
    }

    @Test
    void helpDescribesTheCommand() {
        CliRun run = CliRun.of("why", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: sync-client why", "PATH", "--json", "the sync rule that fired",
                "Exit codes:");
    }

    @Test
    void withoutAPathItIsBadUsage() {
        CliRun run = CliRun.of("why", "--folder", alice.folder.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("PATH");
    }

    @Test
    void aFolderNeverSyncedExitsOne() throws IOException {
        Files.createDirectories(temp.resolve("fresh"));

        CliRun run = CliRun.of("why", "a.txt", "--folder", temp.resolve("fresh").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("has never been synced");
    }

    @Test
    void aPassThatChangesNothingWritesNoDecisions() throws IOException {
        alice.write("a.txt", "a");
        alice.sync();
        Path log = alice.folder.resolve(".sync/decisions.jsonl");
        FileTime before = Files.getLastModifiedTime(log);
        long size = Files.size(log);
        Files.setLastModifiedTime(log, FileTime.fromMillis(1_000_000_000_000L));

        alice.sync();

        assertThat(Files.getLastModifiedTime(log).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(Files.size(log)).isEqualTo(size);
        assertThat(before.toMillis()).isNotEqualTo(1_000_000_000_000L);
        assertThat(alice.folder.resolve(".sync/left-alone.json")).doesNotExist();
    }

    /** Returns the first line of {@code text} that starts with {@code label}. */
    private static String line(String text, String label) {
        return text.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow(() -> new AssertionError(
                "no line starting with " + label + " in:\n" + text));
    }
}
