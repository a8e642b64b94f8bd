package io.syncedfolder.server.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that is refused as too large ({@link RequestTooLargeException}, 413) as soon as more than a limit
 * of bytes has been read from it, whatever its announced length; the refusal passes through whatever reads it.
 */
public final class BoundedBody extends FilterInputStream {
    private final long limit;
    private final String refusal;
    private long count;

    /** Wraps {@code body}, refusing it with {@code refusal} past {@code limit} bytes. */
    public BoundedBody(InputStream body, long limit, String refusal) {
        super(body);
        this.limit = limit;
        this.refusal = refusal;
    }

    /** Returns the bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        add(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        add(Math.max(n, 0));
        return n;
    }

    private void add(int n) {
        count += n;
        if (count > limit) {
            throw new RequestTooLargeException(refusal);
        }
    }
}
