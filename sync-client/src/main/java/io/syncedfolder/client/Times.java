package io.syncedfolder.client;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Formats moments for people the same way in every listing: {@code 2026-11-22 10:41:15}. */
public final class Times {
    public static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Times() {
    }

    /** Returns {@code epochMillis} as a local time in {@code zone}. */
    public static String when(long epochMillis, ZoneId zone) {
        return WHEN.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }
}
