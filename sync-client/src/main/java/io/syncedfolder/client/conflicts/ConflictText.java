package io.syncedfolder.client.conflicts;

import io.syncedfolder.client.Sizes;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Prints conflict copies for people, as an aligned table. */
public final class ConflictText {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ConflictText() {
    }

    public static void print(List<ConflictCopy> copies, String folder, PrintWriter out) {
        if (copies.isEmpty()) {
            out.printf("no conflict copies in %s%n", folder);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CONFLICT COPY", "CONFLICTS WITH", "TIME", "DEVICE", "SIZE"});
        for (ConflictCopy copy : copies) {
            rows.add(new String[] {copy.path(), copy.original() + (copy.originalExists() ? "" : " (gone)"),
                WHEN.format(LocalDateTime.parse(copy.time())), copy.device(), Sizes.human(copy.size())});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
        out.printf("%n%d conflict cop%s. Keep the version you want under the original name and delete the other.%n",
                copies.size(), copies.size() == 1 ? "y" : "ies");
    }
}
