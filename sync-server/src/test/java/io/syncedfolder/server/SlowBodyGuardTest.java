package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

/** The 408 rule for request bodies, on a clock the test moves: only the time spent waiting for bytes counts. */
class SlowBodyGuardTest {
    private static final long RATE = 1024;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong();

    /** A sender that makes each read wait {@code nanosPerRead} and then delivers {@code bytesPerRead}. */
    private InputStream sender(long total, int bytesPerRead, long nanosPerRead) {
        return new InputStream() {
            private long left = total;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                clock.addAndGet(nanosPerRead);
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(length, bytesPerRead), left);
                left -= n;
                return n;
            }
        };
    }

    private SlowBodyGuard guard(InputStream body) {
        return new SlowBodyGuard(body, RATE, clock::get);
    }

    @Test
    void aSenderWaitedOnPastTheGraceAtLessThanTheRateIs408() {
        // 10 bytes every second: after the grace, far below 1 KiB/s of waiting
        SlowBodyGuard body = guard(sender(1_000, 10, SECOND));

        assertThatThrownBy(() -> body.transferTo(new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(BadMessageException.class, e -> assertThat(e.getCode()).isEqualTo(408))
                .hasMessageContaining("10 bytes a second");
        assertThat(clock.get()).isEqualTo(3 * SECOND); // judged at the first read after the grace
    }

    @Test
    void aSlowStartWithinTheGraceIsForgiven() throws IOException {
        // nothing for 1.9 s, then the rest at once
        InputStream stalled = sender(1, 1, SlowBodyGuard.GRACE_NANOS - SECOND / 10);
        SlowBodyGuard body = guard(new SequenceInputStream(stalled, sender(1_000_000, 65_536, 0)));

        assertThat(body.transferTo(new ByteArrayOutputStream())).isEqualTo(1_000_001);
    }

    @Test
    void aSenderAboveTheRateIsNeverFailedHoweverLongItTakes() throws IOException {
        // 2 KiB a second for 100 s
        SlowBodyGuard body = guard(sender(200 * 1024, 2048, SECOND));

        assertThat(body.transferTo(new ByteArrayOutputStream())).isEqualTo(200 * 1024);
    }

    @Test
    void timeBetweenReadsIsTheServersAndDoesNotCount() throws IOException {
        // A small body that had arrived whole, read in two parts by a server busy for a minute in between:
        // Jetty's own rule (from the first byte) failed exactly this.
        SlowBodyGuard body = guard(sender(5, 3, 1_000));

        assertThat(body.read(new byte[8])).isEqualTo(3);
        clock.addAndGet(60 * SECOND);
        assertThat(body.read(new byte[8])).isEqualTo(2);
        clock.addAndGet(60 * SECOND);
        assertThat(body.read()).isEqualTo(-1);
    }
}
