package io.syncedfolder.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.server.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void twentyFailuresAMinuteThenWaitUntilTheOldestExpires() {
        TestClock clock = new TestClock(START);
        AuthThrottle throttle = new AuthThrottle(20, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 19; i++) {
            throttle.failed("10.0.0.1");
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");

        assertThat(throttle.retryAfterSeconds("10.0.0.1")).hasValue(41);
        assertThat(throttle.retryAfterSeconds("10.0.0.2")).isEmpty();

        clock.advance(Duration.ofSeconds(41));
        assertThat(throttle.retryAfterSeconds("10.0.0.1")).isEmpty();
    }

    @Test
    void remembersABoundedNumberOfAddresses() {
        AuthThrottle throttle = new AuthThrottle(1, Duration.ofMinutes(1), new TestClock(START));
        for (int i = 0; i <= AuthThrottle.MAX_ADDRESSES; i++) {
            throttle.failed("address-" + i);
        }

        assertThat(throttle.retryAfterSeconds("address-0")).isEmpty(); // forgotten: the least recent
        assertThat(throttle.retryAfterSeconds("address-" + AuthThrottle.MAX_ADDRESSES)).isPresent();
    }
}
