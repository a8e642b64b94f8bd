package io.syncedfolder.client.history;

import io.syncedfolder.client.Sizes;
import io.syncedfolder.client.TextTable;
import io.syncedfolder.client.Times;
import io.syncedfolder.common.protocol.TrashItem;
import io.syncedfolder.common.protocol.TrashResponse;
import java.io.PrintWriter;
import java.time.ZoneId;

/** Prints the deleted files the server can still bring back, the most recently deleted first. */
public final class TrashText {
    private TrashText() {
    }

    public static void print(TrashResponse trash, PrintWriter out, ZoneId zone) {
        if (trash.items().isEmpty()) {
            out.println("the trash is empty: no deleted file can be brought back");
            return;
        }
        TextTable table = new TextTable("PATH", "DELETED", "BY", "SIZE", "LAST VERSION");
        for (TrashItem item : trash.items()) {
            table.row(item.path(), Times.when(item.deletedAt(), zone), item.device() == null ? "-" : item.device(),
                    Sizes.human(item.lastVersion().size()), Long.toString(item.lastVersion().version()));
        }
        table.print(out);
        out.printf("%n%d deleted file%s. Bring one back with: sync-client restore PATH%n", trash.items().size(),
                trash.items().size() == 1 ? "" : "s");
    }
}
