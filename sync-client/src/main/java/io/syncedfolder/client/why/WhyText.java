package io.syncedfolder.client.why;

import io.syncedfolder.client.Sizes;
import io.syncedfolder.client.Times;
import io.syncedfolder.client.why.Explanation.Verdict;
import io.syncedfolder.common.EntryKind;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Prints an {@link Explanation} for people: the three inputs as an aligned table, then the rule and outcome. */
public final class WhyText {
    private static final int SHORT_HASH = 12;

    private WhyText() {
    }

    public static void print(Explanation why, PrintWriter out, ZoneId zone) {
        out.printf("path:      %s%n", why.path());
        if (why.lastPassAt() > 0) {
            out.printf("last pass: %s%n", Times.when(why.lastPassAt(), zone));
        }
        out.printf("verdict:   %s%n", verdict(why.verdict()));
        boolean several = why.decisions().size() > 1;
        for (Decision decision : why.decisions()) {
            out.println();
            if (several) {
                out.printf("round:     %d%n", decision.round());
            }
            printInputs(decision, why.verdict() == Verdict.LEFT_ALONE ? "not read (left alone by the scan)" : "none", out, zone);
            out.printf("rule:      %s%n", decision.rule());
            out.printf("action:    %s%n", decision.action());
            out.printf("outcome:   %s%n", outcome(decision));
        }
        if (why.earlier() != null) {
            Decision earlier = why.earlier();
            out.printf("%nearlier, at %s: %s → %s, %s%n", Times.when(earlier.passAt(), zone), earlier.rule(), earlier.action(),
                    outcome(earlier));
        }
        if (why.note() != null) {
            out.printf("%s%s%n", why.decisions().isEmpty() && why.earlier() == null ? "note:      " : "\nnote:      ", why.note());
        }
    }

    private static String verdict(Verdict verdict) {
        return switch (verdict) {
            case DECIDED -> "the last pass acted on it";
            case NO_ACTION -> "the last pass had nothing to do for it";
            case LEFT_ALONE -> "the last pass left it alone";
            case IGNORED -> "ignored, never synced";
            case UNKNOWN -> "unknown to this client";
            case NEVER_SYNCED -> "the folder has never been synced";
        };
    }

    private static void printInputs(Decision decision, String noLocal, PrintWriter out, ZoneId zone) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "kind", "version", "size", "modified", "sha256", "device"});
        rows.add(row("local:", decision.local(), noLocal, zone));
        rows.add(row("base:", decision.base(), "none (never synced here)", zone));
        rows.add(row("remote:", decision.remote(), "none (the server has no entry)", zone));
        int[] widths = new int[7];
        for (String[] row : rows) {
            if (row.length == 7) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
        }
        widths[0] = "rule:      ".length() - 1; // the values line up with those of rule:, action:, outcome:
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean last = i == row.length - 1;
                line.append(last ? row[i] : pad(row[i], widths[i] + (i == 0 ? 1 : 2)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String[] row(String label, Decision.Input input, String absent, ZoneId zone) {
        if (input == null) {
            return new String[] {label, absent};
        }
        String kind = (input.deleted() ? "deleted " : "") + (input.kind() == EntryKind.DIRECTORY ? "folder" : "file")
                + (input.executable() ? ", executable" : "");
        boolean content = input.kind() == EntryKind.FILE && !input.deleted();
        return new String[] {
            label,
            kind,
            input.version() == null ? "-" : String.valueOf(input.version()),
            content ? Sizes.human(input.size()) : "-",
            input.mtime() > 0 ? Times.when(input.mtime(), zone) : "-",
            input.sha256() == null ? "-" : input.sha256().substring(0, Math.min(SHORT_HASH, input.sha256().length())),
            input.device() == null ? "-" : input.device()
        };
    }

    private static String outcome(Decision decision) {
        String detail = decision.detail();
        return switch (decision.outcome()) {
            case DONE -> "done";
            case LEFT_FOR_NEXT_PASS -> "left for the next pass" + (detail == null ? "" : ": " + detail);
            case FAILED -> "failed: " + detail;
            case STALE -> "stale: " + (detail == null ? "another device committed first" : detail)
                    + "; decided again with the newer entry";
            case NOTHING_TO_DO -> "nothing to do";
        };
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
