package io.syncedfolder.client.progress;

import io.syncedfolder.client.Sizes;
import io.syncedfolder.client.exec.ExecutionReport;
import java.util.ArrayList;
import java.util.List;

/** Adds up what the rounds of one pass did, for the one line that sums the pass up. */
public final class PassTally {
    private final long startedNanos = System.nanoTime();
    private int uploaded;
    private int downloaded;
    private int deletedHere;
    private int deletedOnServer;
    private int conflicts;
    private long bytes;

    public void add(ExecutionReport report, long movedBytes) {
        uploaded += report.uploaded();
        downloaded += report.downloaded();
        deletedHere += report.deletedHere();
        deletedOnServer += report.deletedOnServer();
        conflicts += report.conflicts();
        bytes += movedBytes;
    }

    public int changes() {
        return uploaded + downloaded + deletedHere + deletedOnServer + conflicts;
    }

    /** E.g. {@code pass done in 1.4 s: 3 uploaded, 2 downloaded, 1 conflict; 12 MB moved}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        count(parts, uploaded, "uploaded");
        count(parts, downloaded, "downloaded");
        count(parts, deletedHere, "deleted here");
        count(parts, deletedOnServer, "deleted on the server");
        if (conflicts > 0) {
            parts.add(conflicts + (conflicts == 1 ? " conflict" : " conflicts"));
        }
        String what = parts.isEmpty() ? "nothing changed" : String.join(", ", parts);
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        return String.format(java.util.Locale.ROOT, "pass done in %.1f s: %s; %s moved", seconds, what, Sizes.human(bytes));
    }

    private static void count(List<String> parts, int count, String what) {
        if (count > 0) {
            parts.add(count + " " + what);
        }
    }
}
