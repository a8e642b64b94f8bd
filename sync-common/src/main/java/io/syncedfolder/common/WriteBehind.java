package io.syncedfolder.common;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flushes a large file to disk in the background while it is still being written, so that the flush its writer
 * must wait for at the end finds little left to do.
 *
 * <p>Without it a 1 GiB download is written to the page cache at memory speed and then waits for one
 * {@code fsync} that writes the whole GiB (about 2.6 s on the 2-core bench machine's disk, measured with
 * {@code dd conv=fsync}); with it the disk works while the data still arrives. Every {@link #FLUSH_EVERY} bytes
 * written (by default), a background thread flushes what is there; writing goes on meanwhile.
 *
 * <p>A failed background flush is kept and thrown by {@link #finish()}: Linux reports a write-back error to one
 * {@code fsync} of a file description only, so a later flush of the same channel could succeed although data was
 * lost. Safe for use from several writing threads.
 */
public final class WriteBehind implements AutoCloseable {
    /** Bytes written between background flushes: large enough that the flushes' overhead is small. */
    public static final long FLUSH_EVERY = 64L * 1024 * 1024;

    private final FileChannel channel;
    private final long flushEvery;
    private final AtomicLong unflushed = new AtomicLong();
    private Thread flushing;
    private IOException failure;

    /** Flushes {@code channel} every {@link #FLUSH_EVERY} bytes written. */
    public WriteBehind(FileChannel channel) {
        this(channel, FLUSH_EVERY);
    }

    /** Flushes {@code channel} every {@code flushEvery} bytes written. */
    public WriteBehind(FileChannel channel, long flushEvery) {
        this.channel = channel;
        this.flushEvery = flushEvery;
    }

    /** Notes that {@code bytes} more were written; starts a background flush once enough have piled up. */
    public void wrote(long bytes) {
        if (unflushed.addAndGet(bytes) < flushEvery) {
            return;
        }
        synchronized (this) {
            if (flushing != null && flushing.isAlive() || unflushed.get() < flushEvery) {
                return; // one flush at a time; the next one takes what piled up meanwhile
            }
            unflushed.set(0);
            flushing = new Thread(this::flushNow, "write-behind");
            flushing.setDaemon(true);
            flushing.start();
        }
    }

    private void flushNow() {
        try {
            channel.force(false);
        } catch (IOException e) {
            synchronized (this) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /**
     * Waits for a background flush, then flushes everything, metadata included.
     *
     * @throws IOException if this or any background flush failed
     */
    public void finish() throws IOException {
        awaitFlush();
        synchronized (this) {
            if (failure != null) {
                throw failure;
            }
        }
        channel.force(true);
    }

    /** Waits for a background flush still running, so the channel can be closed under it. */
    @Override
    public void close() throws IOException {
        awaitFlush();
    }

    private void awaitFlush() throws IOException {
        Thread running;
        synchronized (this) {
            running = flushing;
        }
        if (running == null) {
            return;
        }
        try {
            running.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while flushing to disk");
        }
    }
}
