package io.syncedfolder.server.index;

import io.syncedfolder.common.FileEntry;
import java.util.List;

/**
 * One line of the journal: the entries one accepted commit produced, with their versions.
 *
 * @param time    when the commit was accepted, epoch milliseconds
 * @param entries the new entries in version order
 */
record JournalRecord(long time, List<FileEntry> entries) {
    JournalRecord {
        entries = List.copyOf(entries);
    }
}
