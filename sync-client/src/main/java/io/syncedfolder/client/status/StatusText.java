package io.syncedfolder.client.status;

import io.syncedfolder.client.Times;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Prints a {@link FolderStatus} for people. */
public final class StatusText {

    private StatusText() {
    }

    public static void print(FolderStatus status, PrintWriter out, Clock clock) {
        out.printf("folder:     %s%n", status.folder());
        out.printf("server:     %s%s%n", status.server(), status.serverChecked() ? " (asked just now)" : " (not asked)");
        out.printf("device:     %s%n", status.device());
        out.printf("last sync:  %s%n", lastSync(status.lastSyncMillis(), clock));
        out.printf("status:     %s%n", status.inSync() ? "in sync" : "not in sync");
        if (status.pending() > 0) {
            out.printf("pending:    %s%n", String.join(", ", pending(status)));
        }
        if (!status.leftForLater().isEmpty()) {
            out.printf("waiting:    %d item(s) still being written or unreadable: %s%n", status.leftForLater().size(),
                    String.join(", ", status.leftForLater().subList(0, Math.min(5, status.leftForLater().size()))));
        }
        for (String problem : status.problems()) {
            out.printf("note:       %s%n", problem);
        }
    }

    private static List<String> pending(FolderStatus status) {
        List<String> parts = new ArrayList<>();
        add(parts, status.toUpload(), "to upload");
        add(parts, status.toDownload(), "to download");
        add(parts, status.toDeleteHere(), "to delete here");
        add(parts, status.toDeleteOnServer(), "to delete on the server");
        add(parts, status.conflicts(), "conflict(s) to resolve");
        return parts;
    }

    private static void add(List<String> parts, int count, String what) {
        if (count > 0) {
            parts.add(count + " " + what);
        }
    }

    private static String lastSync(long millis, Clock clock) {
        if (millis == 0) {
            return "never";
        }
        Instant when = Instant.ofEpochMilli(millis);
        Duration ago = Duration.between(when, clock.instant());
        return Times.WHEN.format(when.atZone(clock.getZone())) + " (" + ago(ago) + ")";
    }

    private static String ago(Duration ago) {
        long seconds = Math.max(0, ago.toSeconds());
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86_400 + " days ago";
    }
}
