package io.syncedfolder.client.history;

import io.syncedfolder.client.Sizes;
import io.syncedfolder.client.TextTable;
import io.syncedfolder.client.Times;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.protocol.HistoryResponse;
import io.syncedfolder.common.protocol.VersionInfo;
import java.io.PrintWriter;
import java.time.ZoneId;

/** Prints a file's versions as a table, the current one first. */
public final class HistoryText {

    private HistoryText() {
    }

    public static void print(HistoryResponse history, PrintWriter out, ZoneId zone) {
        TextTable table = new TextTable("VERSION", "STATE", "MODIFIED", "REPLACED", "SIZE", "DEVICE");
        for (VersionInfo version : history.versions()) {
            table.row(Long.toString(version.version()), state(version), Times.when(version.mtime(), zone),
                    version.replacedAt() == null ? "-" : Times.when(version.replacedAt(), zone),
                    version.deleted() || version.kind() == EntryKind.DIRECTORY ? "-" : Sizes.human(version.size()),
                    version.device() == null ? "-" : version.device());
        }
        out.println(history.path());
        table.print(out);
        out.printf("%nBring one back with: sync-client restore %s --version V%n", quoted(history.path()));
    }

    private static String state(VersionInfo version) {
        String what = version.deleted() ? "deleted" : version.kind() == EntryKind.DIRECTORY ? "folder" : "file";
        return version.replacedAt() == null ? what + " (current)" : what;
    }

    /** Quotes a path for a shell command line when it holds anything but plain characters. */
    static String quoted(String path) {
        return path.matches("[\\w./@%+=:,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
