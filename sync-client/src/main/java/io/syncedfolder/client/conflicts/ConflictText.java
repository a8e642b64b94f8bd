package io.syncedfolder.client.conflicts;

import io.syncedfolder.client.Sizes;
import io.syncedfolder.client.TextTable;
import io.syncedfolder.client.Times;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.List;

/** Prints conflict copies for people, as an aligned table. */
public final class ConflictText {

    private ConflictText() {
    }

    public static void print(List<ConflictCopy> copies, String folder, PrintWriter out) {
        if (copies.isEmpty()) {
            out.printf("no conflict copies in %s%n", folder);
            return;
        }
        TextTable table = new TextTable("CONFLICT COPY", "CONFLICTS WITH", "TIME", "DEVICE", "SIZE");
        for (ConflictCopy copy : copies) {
            table.row(copy.path(), copy.original() + (copy.originalExists() ? "" : " (gone)"),
                    Times.WHEN.format(LocalDateTime.parse(copy.time())), copy.device(), Sizes.human(copy.size()));
        }
        table.print(out);
        out.printf("%n%d conflict cop%s. Keep the version you want under the original name and delete the other.%n",
                copies.size(), copies.size() == 1 ? "y" : "ies");
    }
}
