package io.syncedfolder.client.why;

import io.syncedfolder.client.exec.ExecutionReport;
import io.syncedfolder.client.plan.Action;
import io.syncedfolder.client.plan.Plan;
import io.syncedfolder.client.scan.LocalScan;
import io.syncedfolder.client.state.BaseEntry;
import io.syncedfolder.common.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the decisions of one pass as it runs: the inputs of every planned action are taken before the
 * executor changes the state, the outcomes after. Costs nothing for a round without actions.
 */
public final class PassRecorder {
    /** A planned decision whose outcome is not known yet. */
    private record Planned(int round, String path, Decision.Input local, Decision.Input base,
                           Decision.Input remote, String action, String rule) {
    }

    private final List<Planned> planned = new ArrayList<>();
    private final List<Decision> decided = new ArrayList<>();
    private int round;

    /** Notes the inputs of every action of {@code plan}; call before executing it. */
    public void planned(Plan plan, LocalScan scan, Map<String, BaseEntry> base, Map<String, FileEntry> remote) {
        round++;
        planned.clear();
        for (Action action : plan.actions()) {
            String path = action.path();
            planned.add(new Planned(round, path, Decision.Input.of(scan.files().get(path)),
                    Decision.Input.of(base.get(path)), Decision.Input.of(remote.get(path)), describe(action),
                    action.rule()));
            if (action instanceof Action.Conflict conflict) {
                String copy = conflict.copyPath();
                planned.add(new Planned(round, copy, Decision.Input.of(scan.files().get(copy)),
                        Decision.Input.of(base.get(copy)), Decision.Input.of(remote.get(copy)),
                        "save as the conflict copy of " + path, action.rule()));
            }
        }
    }

    /** Takes the outcome of each action just planned from the executor's report. */
    public void executed(ExecutionReport report) {
        for (Planned p : planned) {
            ExecutionReport.Outcome outcome = report.outcomes().get(p.path());
            Decision.Outcome result = outcome == null ? Decision.Outcome.LEFT_FOR_NEXT_PASS : switch (outcome.result()) {
                case DONE -> Decision.Outcome.DONE;
                case LEFT_FOR_NEXT_PASS -> Decision.Outcome.LEFT_FOR_NEXT_PASS;
                case FAILED -> Decision.Outcome.FAILED;
                case STALE -> Decision.Outcome.STALE;
            };
            String detail = outcome == null ? "not carried out in this round" : outcome.detail();
            decided.add(new Decision(0, p.round(), p.path(), p.local(), p.base(), p.remote(), p.action(), p.rule(),
                    result, detail));
        }
        planned.clear();
    }

    /** Returns the decisions of the pass, stamped with the time it ended. */
    public List<Decision> decisions(long passAt) {
        return decided.stream().map(d -> new Decision(passAt, d.round(), d.path(), d.local(), d.base(), d.remote(),
                d.action(), d.rule(), d.outcome(), d.detail())).toList();
    }

    /**
     * Returns, for the paths the scan left alone, why: these get no action and count as present (see
     * {@link LocalScan}), by path.
     */
    public static Map<String, String> leftAlone(LocalScan scan) {
        Map<String, String> reasons = new TreeMap<>();
        for (String path : scan.skipped()) {
            reasons.put(path, "still being written, unreadable, or another name differs from it only in Unicode form"
                    + " (the log says which); it is compared again on the next pass");
        }
        for (String path : scan.unsynced()) {
            reasons.put(path, "a symbolic link or a special file: these are never synced, and nothing from the server"
                    + " replaces them");
        }
        return reasons;
    }

    /** Returns what the action does, in words. */
    static String describe(Action action) {
        if (action instanceof Action.Upload upload) {
            return upload.local().isDirectory() ? "upload the folder" : "upload";
        } else if (action instanceof Action.Download download) {
            return download.replacing() != null && download.replacing().isDirectory()
                    ? "download, replacing the folder here" : "download";
        } else if (action instanceof Action.MakeDirectory make) {
            return make.replacing() != null ? "create the folder, replacing the file here" : "create the folder";
        } else if (action instanceof Action.DeleteRemote) {
            return "delete on the server (commit a tombstone)";
        } else if (action instanceof Action.DeleteLocal) {
            return "delete here";
        } else if (action instanceof Action.RemoveCopy) {
            return "remove the old conflict copy here and on the server (its history keeps it)";
        } else if (action instanceof Action.RecordBase record) {
            return record.local() == null ? "forget the path (deleted on both sides)" : "record the new base, no transfer";
        } else if (action instanceof Action.Conflict conflict) {
            return conflict.keeper() == Action.Side.REMOTE
                    ? "conflict: the server's version keeps the name, this device's is saved as " + conflict.copyPath()
                    : "conflict: this device's version keeps the name, the server's is saved as " + conflict.copyPath();
        }
        throw new AssertionError(action);
    }
}
