package io.syncedfolder.server.index;

/**
 * When {@link JsonFileIndex} folds its journal into a new snapshot: as soon as the journal holds
 * {@code maxLines} commits or {@code maxBytes} bytes, whichever comes first.
 */
public record JournalLimits(long maxLines, long maxBytes) {
    /** Keeps start-up replay short while writing a snapshot rarely. */
    public static final JournalLimits DEFAULT = new JournalLimits(10_000, 64L * 1024 * 1024);

    public JournalLimits {
        if (maxLines < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("journal limits must be positive: " + maxLines + ", " + maxBytes);
        }
    }
}
