package io.syncedfolder.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    /** A clock a test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void twentyFailuresAMinuteThenWaitUntilTheOldestExpires() {
        HandClock clock = new HandClock();
        AuthThrottle throttle = new AuthThrottle(20, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 19; i++) {
            throttle.failed("10.0.0.1");
            clock.now = clock.now.plusSeconds(1);
        }
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");

        assertThat(throttle.retryAfterSeconds("10.0.0.1")).hasValue(41);
        assertThat(throttle.retryAfterSeconds("10.0.0.2")).isEmpty();

        clock.now = clock.now.plusSeconds(41);
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEmpty();
    }

    @Test
    void remembersABoundedNumberOfAddresses() {
        AuthThrottle throttle = new AuthThrottle(1, Duration.ofMinutes(1), new HandClock());
        for (int i = 0; i <= AuthThrottle.MAX_ADDRESSES; i++) {
            throttle.failed("address-" + i);
        }

        assertThat(throttle.retryAfterSeconds("address-0")).isEmpty(); // forgotten: the least recent
        assertThat(throttle.retryAfterSeconds("address-" + AuthThrottle.MAX_ADDRESSES)).isPresent();
    }
}
