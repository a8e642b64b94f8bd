package io.syncedfolder.server.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Passes a stream through and reports every number of bytes read from it, for the server's statistics. */
public final class CountingInputStream extends FilterInputStream {
    private final LongConsumer counter;

    /** Wraps {@code in}; {@code counter} is told each positive number of bytes as they are read. */
    public CountingInputStream(InputStream in, LongConsumer counter) {
        super(in);
        this.counter = counter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counter.accept(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counter.accept(n);
        }
        return n;
    }

    /** Skips by reading, so that skipped bytes are counted like read ones. */
    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.max(0, Math.min(n, 8192))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(sink, 0, (int) Math.min(sink.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    /** Returns false: a reset would count the same bytes twice. */
    @Override
    public boolean markSupported() {
        return false;
    }
}
