package io.syncedfolder.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Slows down token guessing: counts failed sign-ins per remote address over a sliding window, and once an address
 * has failed {@code maxFailures} times within it, refuses its requests (right token or not) until the oldest of
 * those failures leaves the window. With 256-bit tokens guessing is hopeless anyway; this keeps a guesser from
 * costing the server much and makes one visible in the log.
 *
 * <p>Memory is bounded: at most {@value #MAX_ADDRESSES} addresses are remembered, the least recently failing
 * forgotten first.
 */
public final class AuthThrottle {
    /** Failed sign-ins an address may make per window. */
    public static final int MAX_FAILURES = 20;
    /** The window failures are counted over. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

    public AuthThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1: " + maxFailures);
        }
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns a throttle of {@value #MAX_FAILURES} failures a minute. */
    public static AuthThrottle standard() {
        return new AuthThrottle(MAX_FAILURES, WINDOW, Clock.systemUTC());
    }

    /** Returns how many seconds {@code address} must wait before it may try again, or empty if it may now. */
    public synchronized OptionalLong retryAfterSeconds(String address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return OptionalLong.empty();
        }
        long now = clock.millis();
        expire(times, now);
        if (times.isEmpty()) {
            failures.remove(address);
            return OptionalLong.empty();
        }
        if (times.size() < maxFailures) {
            return OptionalLong.empty();
        }
        long waitMillis = times.peekFirst() + windowMillis - now;
        return OptionalLong.of(Math.max(1, (waitMillis + 999) / 1000));
    }

    /** Notes a failed sign-in from {@code address}. */
    public synchronized void failed(String address) {
        long now = clock.millis();
        Deque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
        if (failures.size() > MAX_ADDRESSES) {
            Iterator<String> eldest = failures.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private void expire(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
            times.removeFirst();
        }
    }
}
