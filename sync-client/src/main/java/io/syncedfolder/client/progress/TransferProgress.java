package io.syncedfolder.client.progress;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Counts the chunk bytes a round of a pass moves, from any transfer thread, and on a terminal shows them as a
 * progress bar (on stderr, beside the log on stdout) when the round expects to move at least
 * {@link #BAR_FROM_BYTES}. The expected size is the size of the files to transfer; chunks the other side has
 * already are not sent, so the bar may jump to its end when the round finishes.
 */
public final class TransferProgress implements LongConsumer, AutoCloseable {
    public static final long BAR_FROM_BYTES = 4L * 1024 * 1024;

    private final AtomicLong bytes = new AtomicLong();
    private final ProgressBar bar;

    private TransferProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** Starts counting; shows a bar if {@code terminal} and at least {@link #BAR_FROM_BYTES} are expected. */
    public static TransferProgress start(long expectedBytes, boolean terminal) {
        if (!terminal || expectedBytes < BAR_FROM_BYTES) {
            return new TransferProgress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("Syncing")
                .setInitialMax(expectedBytes)
                .setUnit(" MB", 1024 * 1024)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .build();
        return new TransferProgress(bar);
    }

    /** True if a bar is shown. */
    public boolean showsBar() {
        return bar != null;
    }

    @Override
    public void accept(long chunkBytes) {
        bytes.addAndGet(chunkBytes);
        if (bar != null) {
            bar.stepBy(chunkBytes);
        }
    }

    /** Returns the chunk bytes moved so far. */
    public long bytes() {
        return bytes.get();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.stepTo(Math.max(bar.getCurrent(), bar.getMax()));
            bar.close();
        }
    }
}
