package io.syncedfolder.client;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** One simulated client's clock: the simulation's time plus this client's fixed skew. */
final class SimClock extends Clock {
    /** The simulation's time, shared by every client; it moves only when the simulation moves it. */
    static final class Time {
        private long millis;

        Time(long startMillis) {
            this.millis = startMillis;
        }

        long millis() {
            return millis;
        }

        void advance(long by) {
            millis += by;
        }
    }

    private final Time time;
    private final long skewMillis;
    private final ZoneId zone;

    SimClock(Time time, long skewMillis) {
        this(time, skewMillis, ZoneOffset.UTC);
    }

    private SimClock(Time time, long skewMillis, ZoneId zone) {
        this.time = time;
        this.skewMillis = skewMillis;
        this.zone = zone;
    }

    @Override
    public long millis() {
        return time.millis() + skewMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new SimClock(time, skewMillis, other);
    }
}
