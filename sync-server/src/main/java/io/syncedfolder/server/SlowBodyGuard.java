package io.syncedfolder.server;

import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A request body that must keep arriving: once the server has spent more than {@link #GRACE_NANOS} waiting for
 * its bytes, a read fails with 408 if they came at less than {@link HttpApi#MIN_REQUEST_BYTES_PER_SECOND} over
 * that waiting time. That stops a sender that trickles bytes to hold a request thread and its buffers.
 *
 * <p>Only the time spent inside reads counts. Jetty's own minimum data rate measures from the body's first
 * byte to each read, so a body of a few bytes that had long arrived was failed with 408 when the server,
 * busy, read its end a few milliseconds late.
 */
final class SlowBodyGuard extends FilterInputStream {
    /** Waiting the guard allows before it judges the rate: TCP slow start and a short stall are not a slow sender. */
    static final long GRACE_NANOS = 2_000_000_000L;

    private final long minBytesPerSecond;
    private final LongSupplier nanoTime;
    private long waitedNanos;
    private long received;

    /** Returns the body of {@code ctx}'s request, guarded. */
    static InputStream body(Context ctx) {
        return new SlowBodyGuard(ctx.bodyInputStream(), HttpApi.MIN_REQUEST_BYTES_PER_SECOND, System::nanoTime);
    }

    /** Test seam: a guard with its own rate and clock. */
    SlowBodyGuard(InputStream body, long minBytesPerSecond, LongSupplier nanoTime) {
        super(body);
        this.minBytesPerSecond = minBytesPerSecond;
        this.nanoTime = nanoTime;
    }

    @Override
    public int read() throws IOException {
        long start = beforeRead();
        int b = super.read();
        afterRead(start, b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        long start = beforeRead();
        int n = super.read(buffer, offset, length);
        afterRead(start, Math.max(n, 0));
        return n;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Fails the request if the sender has been too slow so far; returns when the read starts. */
    private long beforeRead() {
        if (waitedNanos > GRACE_NANOS && received < minBytesPerSecond * (waitedNanos / 1_000_000) / 1_000) {
            throw new BadMessageException(HttpStatus.REQUEST_TIMEOUT_408,
                    "the request body arrived at " + received * 1_000_000_000L / waitedNanos + " bytes a second");
        }
        return nanoTime.getAsLong();
    }

    private void afterRead(long start, int bytes) {
        waitedNanos += nanoTime.getAsLong() - start;
        received += bytes;
    }
}
